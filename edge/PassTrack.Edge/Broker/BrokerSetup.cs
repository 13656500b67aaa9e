namespace PassTrack.Edge.Broker;

public static class BrokerSetup
{
    /// <summary>The kiosk side: the MQTT broker (embedded, or a client of an external one) and the kiosk protocol.</summary>
    public static WebApplicationBuilder AddKioskBroker(this WebApplicationBuilder builder) => builder;
}
