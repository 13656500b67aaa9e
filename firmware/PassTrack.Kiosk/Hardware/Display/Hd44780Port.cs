using System.Device.I2c;

namespace PassTrack.Kiosk.Hardware.Display;

/// <summary>
/// The HD44780's 4-bit bus driven through a PCF8574's port: every I2C write is one port state, and a nibble is
/// clocked in as (data, data|E, data) so it is set up before E rises and held while E falls.
/// </summary>
internal sealed class Hd44780Port(I2cDevice device, Pcf8574Wiring wiring, IHardwareDelay delay)
{
    public const byte ClearDisplay = 0x01;
    public const byte ReturnHome = 0x02;
    public const byte EntryIncrement = 0x06;
    public const byte DisplayOff = 0x08;
    public const byte DisplayOnCursorOff = 0x0C;
    public const byte FourBitTwoLines5x8 = 0x28;
    public const byte SetCgramAddress = 0x40;
    public const byte SetDdramAddress = 0x80;

    // HD44780U execution times are 37 µs and 1.52 ms at 270 kHz; clones run slower oscillators, hence the margin.
    // The waits are explicit rather than left to the bus's pace, so a faster I2C clock cannot outrun the chip.
    internal static readonly TimeSpan InstructionTime = TimeSpan.FromMicroseconds(50);
    internal static readonly TimeSpan ClearOrHomeTime = TimeSpan.FromMilliseconds(2);

    public bool Backlight { get; set; } = true;

    /// <summary>The data sheet's "initialising by instruction" for a 4-bit interface (figure 24).</summary>
    public void Initialise()
    {
        delay.Wait(TimeSpan.FromMilliseconds(50));      // > 40 ms after VCC reaches 2.7 V
        WriteNibble(0x3, rs: false);                    // function set, 8-bit: whatever state the chip was in
        delay.Wait(TimeSpan.FromMilliseconds(5));       // > 4.1 ms
        WriteNibble(0x3, rs: false);
        delay.Wait(TimeSpan.FromMicroseconds(150));     // > 100 µs
        WriteNibble(0x3, rs: false);
        delay.Wait(InstructionTime);
        WriteNibble(0x2, rs: false);                    // now 4-bit: every later byte goes as two nibbles
        delay.Wait(InstructionTime);
        Command(FourBitTwoLines5x8);
        Command(DisplayOff);
        Command(ClearDisplay);
        Command(EntryIncrement);
        Command(DisplayOnCursorOff);
    }

    public void Command(byte instruction)
    {
        WriteByte(instruction, rs: false);
        delay.Wait(instruction is ClearDisplay or ReturnHome ? ClearOrHomeTime : InstructionTime);
    }

    public void Data(byte value)
    {
        WriteByte(value, rs: true);
        delay.Wait(InstructionTime);
    }

    /// <summary>Puts the backlight bit on the port with E low, so the display sees no pulse.</summary>
    public void ShowBacklight() => device.WriteByte(Idle(rs: false));

    private void WriteByte(byte value, bool rs)
    {
        WriteNibble(value >> 4, rs);
        WriteNibble(value & 0x0F, rs);
    }

    private void WriteNibble(int nibble, bool rs)
    {
        var port = (byte)(Idle(rs) | wiring.DataBits(nibble));
        device.WriteByte(port);
        device.WriteByte((byte)(port | wiring.EMask));
        device.WriteByte(port);
    }

    private byte Idle(bool rs) => (byte)((rs ? wiring.RsMask : 0) | (Backlight ? wiring.BacklightMask : 0));
}
