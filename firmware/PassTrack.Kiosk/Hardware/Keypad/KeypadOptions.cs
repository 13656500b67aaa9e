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
    public KeypadKind Kind { get; init; } = KeypadKind.Matrix;

    public IReadOnlyList<int> RowPins { get; init; } = [5, 6, 13, 19];

    public IReadOnlyList<int> ColumnPins { get; init; } = [12, 16, 20, 21];

    /// <summary>The legends row by row, rows separated by '/'.</summary>
    public string Layout { get; init; } = MatrixKeypad.StandardLayout;

    /// <summary>For <see cref="KeypadKind.Buttons"/>: GPIO pin to the key it stands for; buttons close to ground.</summary>
    public IReadOnlyDictionary<int, char> Buttons { get; init; } = new Dictionary<int, char>();

    public int GpioChip { get; init; }

    public GpioDriverKind Driver { get; init; } = GpioDriverKind.Auto;

    /// <summary>How long a contact must read the same before it counts.</summary>
    public int DebounceMs { get; init; } = 30;
}
