namespace PassTrack.Kiosk.Hardware.Display;

/// <summary>Where the character display is: the I2C bus and the backpack's address, and the glass's size.</summary>
/// <param name="Address">0x27 for a PCF8574T backpack, 0x3F for a PCF8574AT.</param>
/// <param name="Wiring">How the backpack's port bits reach the display; null for the usual backpack.</param>
public sealed record LcdOptions(
    int I2cBusId = 1,
    int Address = 0x27,
    int Columns = 20,
    int Rows = 4,
    Pcf8574Wiring? Wiring = null)
{
    public Pcf8574Wiring PortWiring => Wiring ?? Pcf8574Wiring.Usual;
}

/// <summary>
/// Which PCF8574 port bit (0-7) drives each display pin. The usual backpack: P0 = RS, P1 = RW, P2 = E,
/// P3 = backlight transistor, P4..P7 = D4..D7.
/// </summary>
public sealed record Pcf8574Wiring(
    int Rs = 0,
    int Rw = 1,
    int E = 2,
    int Backlight = 3,
    int D4 = 4,
    int D5 = 5,
    int D6 = 6,
    int D7 = 7)
{
    public static Pcf8574Wiring Usual { get; } = new();

    internal byte RsMask => Bit(Rs);

    internal byte RwMask => Bit(Rw);

    internal byte EMask => Bit(E);

    internal byte BacklightMask => Bit(Backlight);

    /// <summary>The port bits that put a nibble (bit 3 = D7 ... bit 0 = D4) on the data lines.</summary>
    internal byte DataBits(int nibble)
    {
        var port = 0;
        port |= (nibble & 1) != 0 ? Bit(D4) : 0;
        port |= (nibble & 2) != 0 ? Bit(D5) : 0;
        port |= (nibble & 4) != 0 ? Bit(D6) : 0;
        port |= (nibble & 8) != 0 ? Bit(D7) : 0;
        return (byte)port;
    }

    /// <summary>The nibble on the data lines of a port state (bit 3 = D7 ... bit 0 = D4).</summary>
    internal int Nibble(byte port) =>
        (IsSet(port, D4) ? 1 : 0) | (IsSet(port, D5) ? 2 : 0) | (IsSet(port, D6) ? 4 : 0) | (IsSet(port, D7) ? 8 : 0);

    internal void Validate()
    {
        int[] pins = [Rs, Rw, E, Backlight, D4, D5, D6, D7];
        if (pins.Any(p => p is < 0 or > 7) || pins.Distinct().Count() != pins.Length)
        {
            throw new ArgumentException($"The backpack wiring must use each port bit 0-7 once: {this}.");
        }
    }

    private static bool IsSet(byte port, int bit) => (port & (1 << bit)) != 0;

    private static byte Bit(int bit) => (byte)(1 << bit);
}
