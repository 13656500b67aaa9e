namespace PassTrack.Kiosk.Hardware.Scanners;

public enum ScannerKind
{
    None,
    /// <summary>A USB keyboard-wedge device read from /dev/input (barcode/QR scanners, keyboard-style card readers).</summary>
    Evdev,
    /// <summary>A serial-mode scanner on /dev/ttyACM* or /dev/ttyUSB*.</summary>
    Serial,
}

/// <summary>What a scanner's lines are: card numbers to normalise, or barcodes/QR payloads taken as they are.</summary>
public enum ScannerRole
{
    Codes,
    Cards,
}

/// <summary>
/// One scanner. For <see cref="ScannerKind.Evdev"/>, <see cref="Path"/> names the device node (a stable
/// /dev/input/by-id/...-event-kbd link); without it every by-id keyboard node whose name matches
/// <see cref="NamePattern"/> (a case-insensitive regular expression) is read. For <see cref="ScannerKind.Serial"/>,
/// <see cref="Path"/> is the tty.
/// </summary>
public sealed record ScannerOptions
{
    public ScannerKind Kind { get; set; }

    public string? Path { get; set; }

    public string? NamePattern { get; set; }

    public int BaudRate { get; set; } = 9600;

    public ScannerRole Role { get; set; } = ScannerRole.Codes;

    /// <summary>How a <see cref="ScannerRole.Cards"/> reader types a card's UID (set in the reader's own configuration).</summary>
    public CardNumberFormat CardFormat { get; set; } = CardNumberFormat.HexMsbFirst;

    /// <summary>Longer lines are dropped: no credential is this long, so it is noise or a misconfigured scanner.</summary>
    public int MaxLineLength { get; set; } = 128;
}
