using PassTrack.Kiosk.Hardware.CardReader;
using PassTrack.Kiosk.Hardware.Display;
using PassTrack.Kiosk.Hardware.Keypad;
using PassTrack.Kiosk.Hardware.Scanners;
using PassTrack.Kiosk.Hardware.Sound;

namespace PassTrack.Kiosk.Appliance;

/// <summary>
/// The kiosk's settings: <c>/etc/passtrack/kiosk.json</c> (section <c>Kiosk</c>), then environment variables
/// (<c>Kiosk__Edge__Host</c>...), then the command line. Defaults match the wiring in hardware/README.md.
/// </summary>
public sealed class KioskOptions
{
    public const string Section = "Kiosk";

    /// <summary>The kiosk's id, secret and (before it has a secret) the district's enrolment token.</summary>
    public string CredentialPath { get; set; } = "/etc/passtrack/credentials.json";

    /// <summary>The durable outbox: on the writable data partition, not the read-only root.</summary>
    public string QueuePath { get; set; } = "/var/lib/passtrack/outbox.db";

    public EdgeAddress Edge { get; set; } = new();

    public Mfrc522Options Reader { get; set; } = new();

    public LcdOptions Display { get; set; } = new();

    public SoundOptions Sound { get; set; } = new();

    public KeypadOptions Keypad { get; set; } = new();

    /// <summary>An optional USB (evdev) or serial barcode, QR or keyboard-style card scanner.</summary>
    public ScannerOptions Scanner { get; set; } = new();

    /// <summary>How often the card reader and keypad are looked at: well inside the 50 ms feedback budget.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(10);

    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(60);

    public UpdateSettings Updates { get; set; } = new();
}

/// <summary>Where updates are installed, the key they must be signed with, and where they are fetched from.</summary>
public sealed class UpdateSettings
{
    /// <summary>On the writable data partition: <c>versions/</c>, <c>current</c>, <c>pending.json</c>.</summary>
    public string Root { get; set; } = "/var/lib/passtrack";

    /// <summary>The district's update public key, written at flash time. Without it the kiosk takes no updates.</summary>
    public string PublicKeyPath { get; set; } = "/etc/passtrack/update-key.pem";

    /// <summary>The edge's HTTP port, on the same host as its broker.</summary>
    public int EdgeHttpPort { get; set; } = 8080;

    /// <summary>A full base address for downloads when the edge's HTTP side is elsewhere (behind TLS, say).</summary>
    public Uri? EdgeUrl { get; set; }

    /// <summary>How long a new version has to link to the edge and run healthily before it is rolled back.</summary>
    public TimeSpan Trial { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a new version must stay linked and healthy, without a break, before it is kept.</summary>
    public TimeSpan HealthyFor { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Between attempts at a download that was cut off.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    public Uri BaseAddress(EdgeAddress edge) => EdgeUrl ?? new UriBuilder(Uri.UriSchemeHttp, edge.Host, EdgeHttpPort).Uri;
}

public sealed class EdgeAddress
{
    public string Host { get; set; } = "passtrack-edge.local";

    public int Port { get; set; } = 1883;

    public bool UseTls { get; set; }
}
