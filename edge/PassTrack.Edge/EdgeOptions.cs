namespace PassTrack.Edge;

/// <summary>The edge's settings (section "Edge" of appsettings.json, environment variables EDGE__...).</summary>
public sealed class EdgeOptions
{
    public const string Section = "Edge";

    /// <summary>Where the SQLite store lives. Keep it on a disk that survives power loss honestly.</summary>
    public string DataPath { get; set; } = "passtrack-edge.db";

    /// <summary>The building this edge serves, used when the store is new.</summary>
    public string BuildingId { get; set; } = "building";

    public string BuildingName { get; set; } = "School";

    public string TimeZone { get; set; } = "America/New_York";

    /// <summary>Seed the demo school (and simulate kiosk traffic) when the store is empty.</summary>
    public bool Demo { get; set; }

    /// <summary>"Typical" (1,200 students, 45 rooms) or "Large" (5,000 students, 105 rooms) for the demo seed.</summary>
    public string DemoSize { get; set; } = "Typical";

    /// <summary>How many commands one commit may carry.</summary>
    public int MaxBatch { get; set; } = 512;

    /// <summary>How often the building's timers run (overdue, claim windows, approvals, scheduled passes).</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(1);

    public MqttOptions Mqtt { get; set; } = new();
}

public sealed class MqttOptions
{
    /// <summary>"Embedded" runs the MQTTnet broker in this process; "External" connects to another broker as a client.</summary>
    public string Mode { get; set; } = "Embedded";

    public int Port { get; set; } = 1883;

    /// <summary>Listen on loopback only (tests, a kiosk-less lab) or on every interface.</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    public int TlsPort { get; set; } = 8883;

    /// <summary>A PFX file with the edge's certificate: when set, the broker also listens with TLS on <see cref="TlsPort"/>.</summary>
    public string? TlsCertificatePath { get; set; }

    public string? TlsCertificatePassword { get; set; }

    /// <summary>Largest accepted message, in bytes. Larger ones are refused and logged.</summary>
    public int MaxMessageBytes { get; set; } = 4096;

    /// <summary>Messages one kiosk may publish per second before further ones are dropped and logged.</summary>
    public int MaxMessagesPerSecondPerKiosk { get; set; } = 20;

    /// <summary>PBKDF2 hash of the district's enrolment token (never the token itself). Unset: no enrolment.</summary>
    public string? EnrollmentTokenHash { get; set; }

    /// <summary>External mode: the broker's host, port and the edge's own credentials there.</summary>
    public string ExternalHost { get; set; } = "127.0.0.1";

    public int ExternalPort { get; set; } = 1883;

    public string? ExternalUsername { get; set; }

    public string? ExternalPassword { get; set; }
}
