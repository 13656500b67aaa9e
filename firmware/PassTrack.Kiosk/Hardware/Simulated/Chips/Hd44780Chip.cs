namespace PassTrack.Kiosk.Hardware.Simulated.Chips;

/// <summary>
/// The HD44780U's instruction set and memories, as its data sheet describes them: 80 bytes of DDRAM (two 40-byte
/// lines at 0x00 and 0x40 in two-line mode), 64 bytes of CGRAM, one address counter shared by both.
/// </summary>
internal sealed class Hd44780Chip(Action<string> violation)
{
    public const int LineLength = 40;

    public static readonly TimeSpan InstructionTime = TimeSpan.FromMicroseconds(37);
    public static readonly TimeSpan ClearOrHomeTime = TimeSpan.FromMicroseconds(1520);

    private readonly byte[] _ddram = new byte[2 * LineLength];
    private readonly byte[] _cgram = new byte[64];
    private bool _addressingCgram;

    public bool FourBitInterface { get; private set; }

    public bool TwoLines { get; private set; }

    public bool Font5x10 { get; private set; }

    public bool DisplayOn { get; private set; }

    public bool CursorOn { get; private set; }

    public bool BlinkOn { get; private set; }

    public bool EntryIncrement { get; private set; }

    public bool EntryShiftsDisplay { get; private set; }

    public int AddressCounter { get; private set; }

    /// <summary>How far the display window has moved right over DDRAM (content scrolled left).</summary>
    public int DisplayShift { get; private set; }

    public ReadOnlySpan<byte> Cgram => _cgram;

    /// <summary>The internal reset's state: cleared, 8-bit, one line, display off, increment. CGRAM is random.</summary>
    public void PowerOn(Random noise)
    {
        Array.Fill(_ddram, (byte)' ');
        noise.NextBytes(_cgram);
        (FourBitInterface, TwoLines, Font5x10) = (false, false, false);
        (DisplayOn, CursorOn, BlinkOn) = (false, false, false);
        (EntryIncrement, EntryShiftsDisplay) = (true, false);
        (AddressCounter, DisplayShift, _addressingCgram) = (0, 0, false);
    }

    /// <summary>A chip some earlier program left in 4-bit, two-line mode with text on it.</summary>
    public void LeftRunning(Random noise)
    {
        PowerOn(noise);
        noise.NextBytes(_ddram);
        (FourBitInterface, TwoLines, DisplayOn) = (true, true, true);
    }

    public static TimeSpan ExecutionTime(bool rs, byte value) =>
        !rs && value is 0x01 or 0x02 or 0x03 ? ClearOrHomeTime : InstructionTime;

    public byte DdramAt(int address) => _ddram[Index(address)];

    public void Instruction(byte value)
    {
        switch (value)
        {
            case >= 0x80:
                var address = value & 0x7F;
                if (!ValidDdramAddress(address))
                {
                    violation($"DDRAM address 0x{address:X2} does not exist in {(TwoLines ? "two" : "one")}-line mode");
                    address = 0;
                }
                (AddressCounter, _addressingCgram) = (address, false);
                break;
            case >= 0x40:
                (AddressCounter, _addressingCgram) = (value & 0x3F, true);
                break;
            case >= 0x20:
                FourBitInterface = (value & 0x10) == 0;
                TwoLines = (value & 0x08) != 0;
                Font5x10 = (value & 0x04) != 0;
                break;
            case >= 0x10:
                var right = (value & 0x04) != 0;
                if ((value & 0x08) != 0)
                {
                    DisplayShift = (DisplayShift + (right ? -1 : 1) + LineLength) % LineLength;
                }
                else
                {
                    StepAddressCounter(right);
                }
                break;
            case >= 0x08:
                (DisplayOn, CursorOn, BlinkOn) = ((value & 0x04) != 0, (value & 0x02) != 0, (value & 0x01) != 0);
                break;
            case >= 0x04:
                (EntryIncrement, EntryShiftsDisplay) = ((value & 0x02) != 0, (value & 0x01) != 0);
                break;
            case >= 0x02:
                (AddressCounter, _addressingCgram, DisplayShift) = (0, false, 0);
                break;
            case 0x01:
                Array.Fill(_ddram, (byte)' ');
                (AddressCounter, _addressingCgram, DisplayShift, EntryIncrement) = (0, false, 0, true);
                break;
            default:
                violation("0x00 is not an instruction");
                break;
        }
    }

    public void Data(byte value)
    {
        if (_addressingCgram)
        {
            _cgram[AddressCounter] = value;
            AddressCounter = (AddressCounter + (EntryIncrement ? 1 : -1) + _cgram.Length) % _cgram.Length;
            return;
        }
        _ddram[Index(AddressCounter)] = value;
        StepAddressCounter(EntryIncrement);
        if (EntryShiftsDisplay)
        {
            DisplayShift = (DisplayShift + (EntryIncrement ? 1 : -1) + LineLength) % LineLength;
        }
    }

    private bool ValidDdramAddress(int address) =>
        TwoLines ? address is < LineLength or (>= 0x40 and < 0x40 + LineLength) : address < _ddram.Length;

    private int Index(int address) => TwoLines && address >= 0x40 ? address - 0x40 + LineLength : address;

    private void StepAddressCounter(bool forward)
    {
        if (!TwoLines)
        {
            AddressCounter = (AddressCounter + (forward ? 1 : -1) + _ddram.Length) % _ddram.Length;
            return;
        }
        AddressCounter = (AddressCounter, forward) switch
        {
            (LineLength - 1, true) => 0x40,
            (0x40 + LineLength - 1, true) => 0x00,
            (0x00, false) => 0x40 + LineLength - 1,
            (0x40, false) => LineLength - 1,
            _ => AddressCounter + (forward ? 1 : -1),
        };
    }
}
