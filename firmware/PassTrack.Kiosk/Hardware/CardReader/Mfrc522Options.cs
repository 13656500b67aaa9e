using System.Device.Gpio;
using System.Device.Gpio.Drivers;
using System.Device.Spi;
using Microsoft.Extensions.Logging;

namespace PassTrack.Kiosk.Hardware.CardReader;

/// <summary>Where the MFRC522 is wired (defaults: SPI0 CE0, RST on BCM 25, see README.md).</summary>
public sealed record Mfrc522Options
{
    public int SpiBusId { get; init; }

    public int ChipSelectLine { get; init; }

    /// <summary>The chip takes up to 10 MHz; 5 MHz leaves margin for jumper wires.</summary>
    public int ClockHz { get; init; } = 5_000_000;

    /// <summary>BCM number of the GPIO wired to RST (NRSTPD); null when RST is tied to 3.3 V (soft reset only).</summary>
    public int? ResetPin { get; init; } = 25;

    /// <summary>The gpiochip holding <see cref="ResetPin"/>: 0 on Pi 1-4 and current Pi 5 kernels, 4 on early Pi 5 ones.</summary>
    public int GpioChip { get; init; }

    /// <summary>How long a card must be gone before the same card counts as a new tap.</summary>
    public TimeSpan SameCardGap { get; init; } = CardTaps.DefaultSameCardGap;
}

public static class Mfrc522Factory
{
    /// <summary>The reader on the real SPI bus and GPIO chip. Nothing is sent to the chip until the first poll.</summary>
    /// <param name="gpioDriver">Overrides the libgpiod (v1) driver on <see cref="Mfrc522Options.GpioChip"/>.</param>
    public static Mfrc522 Create(Mfrc522Options options, IHardwareDelay delay, ILogger<Mfrc522>? logger = null, GpioDriver? gpioDriver = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var spi = SpiDevice.Create(new SpiConnectionSettings(options.SpiBusId, options.ChipSelectLine)
        {
            ClockFrequency = options.ClockHz,
            Mode = SpiMode.Mode0,
        });
        if (options.ResetPin is not { } resetPin)
        {
            return new Mfrc522(spi, delay, logger: logger);
        }
        var gpio = new GpioController(gpioDriver ?? new LibGpiodDriver(options.GpioChip));
        return new Mfrc522(spi, delay, gpio, resetPin, logger);
    }
}
