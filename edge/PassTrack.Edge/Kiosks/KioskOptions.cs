namespace PassTrack.Edge.Kiosks;

/// <summary>How the edge treats its kiosks (section "Edge:Kiosks"). The broker's own settings are in <see cref="MqttOptions"/>.</summary>
public sealed class KioskOptions
{
    public const string Section = "Edge:Kiosks";

    /// <summary>How long after a scan identified a student the kiosk may send the student's choice.</summary>
    public TimeSpan ChooseWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long after a staff card's tap its holder may act at the kiosk (typing a number, tapping a new card).</summary>
    public TimeSpan StaffWindow { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How often the edge sends every connected kiosk its time.</summary>
    public TimeSpan TimeSyncInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often heartbeat telemetry (uptime, queued scans, reader health) is written to the store.</summary>
    public TimeSpan TelemetryWriteInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The shortest secret an enrolling device may choose.</summary>
    public int MinSecretLength { get; set; } = 16;
}
