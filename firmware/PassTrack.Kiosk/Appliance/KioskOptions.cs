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
}

public sealed class EdgeAddress
{
    public string Host { get; set; } = "passtrack-edge.local";

    public int Port { get; set; } = 1883;

    public bool UseTls { get; set; }
}
