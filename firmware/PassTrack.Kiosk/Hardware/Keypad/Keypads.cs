using System.Device.Gpio;
using System.Device.Gpio.Drivers;
using System.Runtime.InteropServices;

namespace PassTrack.Kiosk.Hardware.Keypad;

/// <summary>Opens the configured keypad on the real GPIO chip.</summary>
public static class Keypads
{
    /// <summary>The keypad, or null when <see cref="KeypadOptions.Kind"/> is <see cref="KeypadKind.None"/>.</summary>
    public static IKeypad? Open(KeypadOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Kind == KeypadKind.None)
        {
            return null;
        }

        var gpio = new GpioController(CreateDriver(options.Driver, options.GpioChip));
        try
        {
            return options.Kind switch
            {
                KeypadKind.Matrix => new MatrixKeypad(gpio, options, time),
                KeypadKind.Buttons => new ButtonPad(gpio, options, time),
                _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kind, "Unknown keypad kind."),
            };
        }
        catch
        {
            gpio.Dispose();
            throw;
        }
    }

    public static GpioDriver CreateDriver(GpioDriverKind kind, int chip) => kind switch
    {
        GpioDriverKind.LibGpiodV2 => new LibGpiodV2Driver(chip),
        GpioDriverKind.LibGpiod => new LibGpiodDriver(chip),
        GpioDriverKind.SysFs => CreateSysFsDriver(chip),
        GpioDriverKind.Auto => CreateDriver(DetectDriver(), chip),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown GPIO driver."),
    };

    private static GpioDriverKind DetectDriver()
    {
        // libgpiod.so.3 implements the v2 ABI (Debian 13 / Trixie); libgpiod.so.2 the v1 ABI (Debian 12 / Bookworm).
        if (IsInstalled("libgpiod.so.3"))
        {
            return GpioDriverKind.LibGpiodV2;
        }

        return IsInstalled("libgpiod.so.2") ? GpioDriverKind.LibGpiod : GpioDriverKind.SysFs;
    }

    private static bool IsInstalled(string library)
    {
        if (!NativeLibrary.TryLoad(library, out var handle))
        {
            return false;
        }

        NativeLibrary.Free(handle);
        return true;
    }

    private static SysFsDriver CreateSysFsDriver(int chip)
    {
        var info = SysFsDriver.GetAvailableChips().FirstOrDefault(c => c.Id == chip)
            ?? throw new ArgumentOutOfRangeException(nameof(chip), chip, "No such GPIO chip under /sys/class/gpio.");
        return new SysFsDriver(info);
    }
}
