using PassTrack.Edge.Kiosks;
using PassTrack.Edge.Updates;

namespace PassTrack.Edge.Broker;

public static class BrokerSetup
{
    /// <summary>The kiosk side: the MQTT broker (embedded, or a client of an external one) and the kiosk protocol.</summary>
    public static WebApplicationBuilder AddKioskBroker(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<KioskOptions>().Bind(builder.Configuration.GetSection(KioskOptions.Section));
        services.AddOptions<ExternalBrokerOptions>().Bind(builder.Configuration.GetSection($"{EdgeOptions.Section}:{nameof(EdgeOptions.Mqtt)}"));

        services.AddKioskUpdates(builder.Configuration);
        services.AddSingleton<KioskRefusals>();
        services.AddSingleton<KioskAuthenticator>();
        services.AddSingleton<KioskRequests>();
        services.AddSingleton<KioskProtocol>();
        // Hosted services stop in reverse order: the broker first (its last disconnections are still recorded),
        // then the commands, then presence, which writes what it holds.
        services.AddSingleton<KioskPresence>();
        services.AddHostedService(sp => sp.GetRequiredService<KioskPresence>());
        services.AddSingleton<KioskCommander>();
        services.AddHostedService(sp => sp.GetRequiredService<KioskCommander>());
        services.AddHostedService<QueueDepthGauge>();

        var mode = builder.Configuration[$"{EdgeOptions.Section}:{nameof(EdgeOptions.Mqtt)}:{nameof(MqttOptions.Mode)}"];
        if (string.Equals(mode, "External", StringComparison.OrdinalIgnoreCase))
        {
            services.AddSingleton<ExternalBrokerClient>();
            services.AddSingleton<IKioskTransport>(sp => sp.GetRequiredService<ExternalBrokerClient>());
            services.AddHostedService(sp => sp.GetRequiredService<ExternalBrokerClient>());
        }
        else
        {
            services.AddSingleton<EmbeddedBroker>();
            services.AddSingleton<IKioskTransport>(sp => sp.GetRequiredService<EmbeddedBroker>());
            services.AddHostedService(sp => sp.GetRequiredService<EmbeddedBroker>());
        }
        return builder;
    }
}
