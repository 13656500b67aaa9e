namespace PassTrack.Kiosk.Hardware.Keypad;

public enum KeypadKind
{
    None,
    Matrix,
    Buttons,
}

/// <summary>Which System.Device.Gpio driver talks to the GPIO chip.</summary>
public enum GpioDriverKind
{
    /// <summary>libgpiod's v2 ABI when libgpiod.so.3 is installed (Trixie), else v1 (Bookworm), else sysfs.</summary>
    Auto,
    LibGpiodV2,
    LibGpiod,
    SysFs,
}

/// <summary>
/// The keypad's wiring, in BCM GPIO numbers. <see cref="GpioChip"/> is the character device's number: the Pi 5's header
/// is gpiochip4 on early kernels and gpiochip0 on later ones, earlier Pis use gpiochip0.
/// </summary>
public sealed record KeypadOptions
{
    public static readonly IReadOnlyList<int> DefaultRowPins = [5, 6, 13, 19];

    public static readonly IReadOnlyList<int> DefaultColumnPins = [12, 16, 20, 21];

    public KeypadKind Kind { get; set; } = KeypadKind.Matrix;

    // The pin lists stay null unless configured: configuration binding appends to a list that already has items.

    /// <summary>Row pins, top row first; null means <see cref="DefaultRowPins"/>.</summary>
    public IReadOnlyList<int>? RowPins { get; set; }

    /// <summary>Column pins, left column first; null means <see cref="DefaultColumnPins"/>.</summary>
    public IReadOnlyList<int>? ColumnPins { get; set; }

    /// <summary>The legends row by row, rows separated by '/'.</summary>
    public string Layout { get; set; } = MatrixKeypad.StandardLayout;

    /// <summary>For <see cref="KeypadKind.Buttons"/>: GPIO pin to the key it stands for; buttons close to ground.</summary>
    public IReadOnlyDictionary<int, char> Buttons { get; set; } = new Dictionary<int, char>();

    public int GpioChip { get; set; }

    public GpioDriverKind Driver { get; set; } = GpioDriverKind.Auto;

    /// <summary>How long a contact must read the same before it counts.</summary>
    public int DebounceMs { get; set; } = 30;

    internal IReadOnlyList<int> Rows => RowPins is { Count: > 0 } ? RowPins : DefaultRowPins;

    internal IReadOnlyList<int> Columns => ColumnPins is { Count: > 0 } ? ColumnPins : DefaultColumnPins;
}
