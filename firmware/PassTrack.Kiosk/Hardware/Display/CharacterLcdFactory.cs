using System.Device.I2c;

namespace PassTrack.Kiosk.Hardware.Display;

public static class CharacterLcdFactory
{
    /// <summary>Opens the backpack on the configured bus (/dev/i2c-N) and initialises the display.</summary>
    public static CharacterLcd Open(LcdOptions options, IHardwareDelay delay)
    {
        ArgumentNullException.ThrowIfNull(options);
        var device = I2cDevice.Create(new I2cConnectionSettings(options.I2cBusId, options.Address));
        try
        {
            return new CharacterLcd(device, options, delay);
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }
}
