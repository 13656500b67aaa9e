namespace PassTrack.Edge.Broker;

/// <summary>
/// The edge as a client of an external broker (Edge:Mqtt:Mode = External): settings beyond host, port and credentials,
/// read from the same section "Edge:Mqtt".
/// </summary>
public sealed class ExternalBrokerOptions
{
    /// <summary>The edge's client id there; by default its user name (Mosquitto's use_username_as_clientid).</summary>
    public string? ExternalClientId { get; set; }

    /// <summary>Connect with TLS, checking the broker's certificate against the system's trusted roots.</summary>
    public bool ExternalUseTls { get; set; }

    /// <summary>
    /// How long the broker keeps the edge's session (subscriptions and unacknowledged kiosk messages) while the edge is
    /// away: a restart within it loses nothing the broker accepted.
    /// </summary>
    public uint ExternalSessionExpirySeconds { get; set; } = 3600;

    /// <summary>The longest wait between reconnection attempts (they start at one second and double).</summary>
    public TimeSpan ExternalReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);
}
