using PassTrack.Contracts.Protocol;

namespace PassTrack.Kiosk.Hardware;

// The seams between the kiosk's flow and its devices. Each has a driver on System.Device.Gpio and a simulated
// twin for development; the drivers are tested against register-level simulators of the chips.

/// <summary>A card's UID as read over the air (4, 7 or 10 bytes), as upper-case hex, first byte first.</summary>
public readonly record struct CardUid(string Hex)
{
    public static CardUid FromBytes(ReadOnlySpan<byte> bytes) => new(Convert.ToHexString(bytes));

    public override string ToString() => Hex;
}

/// <summary>The 13.56 MHz reader. Polled by the scan loop every few tens of milliseconds.</summary>
public interface ICardReader : IDisposable
{
    /// <summary>One look at the field: the UID of a card there now, or null when there is none (or it left mid-read).</summary>
    /// <exception cref="CardReaderException">The chip did not answer; the caller may <see cref="Recover"/>.</exception>
    CardUid? Poll();

    ReaderHealth Health { get; }

    /// <summary>Resets and reinitialises the chip after it stopped answering.</summary>
    void Recover();
}

public sealed class CardReaderException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The character display (20x4). Lines are padded or cut to fit; only cells that changed are written.</summary>
public interface ITextDisplay : IDisposable
{
    int Columns { get; }

    int Rows { get; }

    void Show(IReadOnlyList<string> lines);

    bool Backlight { get; set; }
}

/// <summary>What the kiosk can sound like. Each has its own pattern.</summary>
public enum Tone
{
    /// <summary>A card or key was taken: the instant local feedback.</summary>
    Tap,
    KeyPress,
    Granted,
    Refused,
    Queued,
    /// <summary>Repeats until <see cref="ISounder.Silence"/> or another tone.</summary>
    Summons,
    /// <summary>Repeats until <see cref="ISounder.Silence"/> or another tone.</summary>
    Lockdown,
    Error,
}

/// <summary>A buzzer or speaker. <see cref="Play"/> returns at once; the pattern plays in the background.</summary>
public interface ISounder : IDisposable
{
    void Play(Tone tone);

    void Silence();
}

/// <summary>A 4x4 matrix keypad or a few buttons, polled by the input loop every few milliseconds.</summary>
public interface IKeypad : IDisposable
{
    /// <summary>A debounced key press ('0'-'9', 'A'-'D', '*', '#') since the last poll, or null.</summary>
    char? Poll();
}

/// <summary>Something a barcode, QR or keyboard-style card reader delivered: one line, already normalised.</summary>
public sealed record ScannedCode(CredentialType Kind, string Value);

/// <summary>A USB keyboard-wedge or serial scanner.</summary>
public interface ICodeScanner : IDisposable
{
    IAsyncEnumerable<ScannedCode> ReadAsync(CancellationToken cancellationToken);
}

/// <summary>
/// How drivers wait the data sheets' delays. On hardware the driver's own thread waits; under a simulator the fake
/// clock advances instead, so the timing is checked rather than slept.
/// </summary>
public interface IHardwareDelay
{
    void Wait(TimeSpan duration);
}
