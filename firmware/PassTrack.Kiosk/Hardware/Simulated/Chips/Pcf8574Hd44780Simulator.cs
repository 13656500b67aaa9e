using System.Device.I2c;
using Microsoft.Extensions.Time.Testing;
using PassTrack.Kiosk.Hardware.Display;

namespace PassTrack.Kiosk.Hardware.Simulated.Chips;

/// <summary>
/// A PCF8574 backpack with an HD44780 behind it. Every byte written is the expander's port state; the simulated
/// chip acts on E's falling edges, in whichever interface mode it is in (8-bit after power-up, when only D7..D4 are
/// wired and each pulse is a whole instruction), and checks the data sheet's timing on the fake clock.
/// </summary>
internal sealed class Pcf8574Hd44780Simulator : I2cDevice
{
    private static readonly TimeSpan PowerUpTime = TimeSpan.FromMilliseconds(40);
    private static readonly TimeSpan FirstFunctionSetTime = TimeSpan.FromMicroseconds(4100);
    private static readonly TimeSpan SecondFunctionSetTime = TimeSpan.FromMicroseconds(100);

    private readonly FakeTimeProvider _time;
    private readonly Pcf8574Wiring _wiring;
    private readonly IReadOnlyDictionary<char, byte[]> _knownGlyphs;
    private readonly Hd44780Chip _chip;
    private readonly List<string> _violations = [];
    private readonly Random _noise = new(44780);
    private DateTimeOffset _poweredOn;
    private DateTimeOffset _busyUntil;
    private string _busyWith = "";
    private int _functionSetsSincePowerOn;
    private byte _port;
    private (int Nibble, bool Rs)? _highNibble;

    /// <param name="knownGlyphs">Bitmaps to recognise in CGRAM when rendering rows as text.</param>
    public Pcf8574Hd44780Simulator(
        FakeTimeProvider time,
        IReadOnlyDictionary<char, byte[]>? knownGlyphs = null,
        Pcf8574Wiring? wiring = null,
        int columns = 20,
        int rows = 4)
    {
        _time = time;
        _wiring = wiring ?? Pcf8574Wiring.Usual;
        _knownGlyphs = knownGlyphs ?? new Dictionary<char, byte[]>();
        (Columns, Rows) = (columns, rows);
        _chip = new Hd44780Chip(Violation);
        PowerCycle();
    }

    public override I2cConnectionSettings ConnectionSettings { get; } = new(1, 0x27);

    public int Columns { get; }

    public int Rows { get; }

    /// <summary>Port writes received, one per byte: what a partial update saves.</summary>
    public int BytesWritten { get; private set; }

    /// <summary>The backpack stops acknowledging, as when it is unplugged: writes throw.</summary>
    public bool Unplugged { get; set; }

    public IReadOnlyList<string> Violations => _violations;

    public bool Backlight => (_port & _wiring.BacklightMask) != 0;

    public bool FourBitInterface => _chip.FourBitInterface;

    public bool TwoLines => _chip.TwoLines;

    public bool Font5x10 => _chip.Font5x10;

    public bool DisplayOn => _chip.DisplayOn;

    public bool CursorOn => _chip.CursorOn;

    public bool BlinkOn => _chip.BlinkOn;

    public bool EntryIncrement => _chip.EntryIncrement;

    public bool EntryShiftsDisplay => _chip.EntryShiftsDisplay;

    public IReadOnlyList<string> Text => [.. Enumerable.Range(0, Rows).Select(RowText)];

    /// <summary>Power off and on: the expander's port goes high (POR), the chip resets itself.</summary>
    public void PowerCycle()
    {
        _chip.PowerOn(_noise);
        Restart(powerUpWait: PowerUpTime, functionSetsDone: 0);
    }

    /// <summary>The chip as a previous run of the kiosk left it: 4-bit, optionally half-way through a byte.</summary>
    public void LeaveRunningInFourBitMode(bool halfWayThroughAByte)
    {
        _chip.LeftRunning(_noise);
        Restart(powerUpWait: TimeSpan.Zero, functionSetsDone: 2);
        // Half-way through an instruction: the kiosk restarted between the two nibbles of a command.
        _highNibble = halfWayThroughAByte ? (0x0, false) : null;
    }

    /// <summary>The character codes a row of the glass shows, left to right.</summary>
    public byte[] RowCodes(int row)
    {
        var line = row % 2 == 0 ? 0x00 : 0x40;
        var start = row / 2 * Columns;
        return [.. Enumerable.Range(0, Columns)
            .Select(column => _chip.DdramAt(line + ((start + column + _chip.DisplayShift) % Hd44780Chip.LineLength)))];
    }

    /// <summary>A row as text: ROM A00 codes decoded, CGRAM codes recognised by their bitmaps ('¤' when not).</summary>
    public string RowText(int row) => new([.. RowCodes(row).Select(Decode)]);

    /// <summary>The code stored at a DDRAM address (0x00-0x27 and 0x40-0x67 in two-line mode).</summary>
    public byte DdramAt(int address) => _chip.DdramAt(address);

    /// <summary>The eight rows of a CGRAM slot, five bits each.</summary>
    public byte[] GlyphIn(int slot) => [.. _chip.Cgram.Slice(slot * 8, 8).ToArray().Select(line => (byte)(line & 0x1F))];

    public override byte ReadByte() => _port;

    public override void Read(Span<byte> buffer) => buffer.Fill(_port);

    public override void WriteByte(byte value)
    {
        if (Unplugged)
        {
            throw new IOException("Error 121 performing I2C data transfer (remote I/O error).");
        }
        BytesWritten++;
        PortChanged(value);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        foreach (var value in buffer)
        {
            WriteByte(value);
        }
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }

    private void Restart(TimeSpan powerUpWait, int functionSetsDone)
    {
        _port = 0xFF;
        _highNibble = null;
        _poweredOn = _time.GetUtcNow();
        _busyUntil = _poweredOn + powerUpWait;
        _busyWith = "the power-up wait (40 ms)";
        _functionSetsSincePowerOn = functionSetsDone;
    }

    private void PortChanged(byte value)
    {
        var before = _port;
        _port = value;
        var e = _wiring.EMask;
        var control = (byte)(_wiring.RsMask | _wiring.RwMask);
        var data = _wiring.DataBits(0xF);
        if ((before & e) == 0 && (value & e) != 0 && ((before ^ value) & control) != 0)
        {
            Violation("RS or RW changed in the same write that raised E (address set-up time)");
        }
        if ((before & e) == 0 || (value & e) != 0 || (before & _wiring.RwMask) != 0)
        {
            return;     // not a falling edge, or the end of a read cycle: nothing is latched
        }
        if (((before ^ value) & (control | data)) != 0)
        {
            Violation("RS, RW or data changed in the same write that dropped E (hold time)");
        }
        Latch(_wiring.Nibble(before), (before & _wiring.RsMask) != 0);
    }

    private void Latch(int nibble, bool rs)
    {
        if (!_chip.FourBitInterface)
        {
            // Only D7..D4 reach the display; the chip takes each pulse as a whole 8-bit transfer, low bits 0.
            Arrive(rs, (byte)(nibble << 4));
            Execute(rs, (byte)(nibble << 4));
            return;
        }
        if (_highNibble is not { } high)
        {
            Arrive(rs, (byte)(nibble << 4));
            _highNibble = (nibble, rs);
            return;
        }
        _highNibble = null;
        if (high.Rs != rs)
        {
            Violation("RS changed between the two nibbles of one transfer");
        }
        Execute(rs, (byte)((high.Nibble << 4) | nibble));
    }

    private void Arrive(bool rs, byte firstBits)
    {
        var now = _time.GetUtcNow();
        if (now < _busyUntil)
        {
            var what = rs ? "a data write" : $"an instruction (0x{firstBits >> 4:X}_)";
            Violation($"{what} came while busy with {_busyWith}, {(_busyUntil - now).TotalMicroseconds:0.#} µs early");
        }
    }

    private void Execute(bool rs, byte value)
    {
        var busy = Hd44780Chip.ExecutionTime(rs, value);
        _busyWith = rs ? "a data write (37 µs)" : $"instruction 0x{value:X2} ({busy.TotalMicroseconds:0} µs)";
        if (!rs && value is >= 0x20 and < 0x40 && !_chip.FourBitInterface && _functionSetsSincePowerOn < 2)
        {
            _functionSetsSincePowerOn++;
            (busy, _busyWith) = _functionSetsSincePowerOn == 1
                ? (FirstFunctionSetTime, "the first function set after power-up (4.1 ms)")
                : (SecondFunctionSetTime, "the second function set after power-up (100 µs)");
        }
        if (rs)
        {
            _chip.Data(value);
        }
        else
        {
            _chip.Instruction(value);
        }
        _busyUntil = _time.GetUtcNow() + busy;
    }

    private char Decode(byte code)
    {
        if (code < 0x10)
        {
            var bitmap = GlyphIn(code & 0x07);
            var known = _knownGlyphs.Where(glyph => glyph.Value.AsSpan().SequenceEqual(bitmap)).Select(glyph => glyph.Key);
            return known.DefaultIfEmpty('¤').First();
        }
        return RomA00.Character(code);
    }

    private void Violation(string what) =>
        _violations.Add($"{(_time.GetUtcNow() - _poweredOn).TotalMilliseconds:0.000} ms: {what}");
}
