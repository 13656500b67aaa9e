using System.Buffers.Binary;
using System.Text;

namespace PassTrack.Kiosk.Hardware.Scanners;

/// <summary>
/// Turns the bytes read from an evdev keyboard node into the lines a keyboard-wedge scanner typed. Each record is a
/// struct input_event: a timeval (two longs: 16 bytes on 64-bit, 8 on 32-bit), then type u16, code u16, value s32, in
/// the machine's byte order (little-endian on the Pi). Key downs and autorepeats type; releases only matter for Shift.
/// A line ends at Enter; empty lines are skipped and over-long ones dropped.
/// </summary>
public sealed class KeyEventDecoder
{
    private const ushort KeyEvent = 1;
    private const int Released = 0;
    private const int Pressed = 1;

    private readonly int _maxLineLength;
    private readonly int _timeSize;
    private readonly byte[] _partial;
    private readonly StringBuilder _line = new();
    private int _partialCount;
    private bool _leftShift;
    private bool _rightShift;
    private bool _capsLock;
    private bool _overflowed;

    /// <param name="timevalSize">16 for a 64-bit process (the kiosk on arm64), 8 for a 32-bit one.</param>
    public KeyEventDecoder(int maxLineLength = 128, int timevalSize = 16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineLength, 1);
        if (timevalSize is not (8 or 16))
        {
            throw new ArgumentOutOfRangeException(nameof(timevalSize), timevalSize, "A timeval is 8 or 16 bytes.");
        }

        _maxLineLength = maxLineLength;
        _timeSize = timevalSize;
        _partial = new byte[RecordSize];
    }

    public int RecordSize => _timeSize + 8;

    /// <summary>A decoder for this process's input_event layout.</summary>
    public static KeyEventDecoder ForThisProcess(int maxLineLength) => new(maxLineLength, IntPtr.Size * 2);

    /// <summary>Takes bytes as they were read (records may be split across reads) and adds any finished lines.</summary>
    public void Feed(ReadOnlySpan<byte> bytes, ICollection<ScanLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (_partialCount > 0)
        {
            var needed = Math.Min(RecordSize - _partialCount, bytes.Length);
            bytes[..needed].CopyTo(_partial.AsSpan(_partialCount));
            _partialCount += needed;
            bytes = bytes[needed..];
            if (_partialCount < RecordSize)
            {
                return;
            }

            Decode(_partial, lines);
            _partialCount = 0;
        }

        while (bytes.Length >= RecordSize)
        {
            Decode(bytes[..RecordSize], lines);
            bytes = bytes[RecordSize..];
        }

        bytes.CopyTo(_partial);
        _partialCount = bytes.Length;
    }

    private void Decode(ReadOnlySpan<byte> record, ICollection<ScanLine> lines)
    {
        var type = BinaryPrimitives.ReadUInt16LittleEndian(record[_timeSize..]);
        var code = BinaryPrimitives.ReadUInt16LittleEndian(record[(_timeSize + 2)..]);
        var value = BinaryPrimitives.ReadInt32LittleEndian(record[(_timeSize + 4)..]);
        if (type != KeyEvent)
        {
            return;
        }

        switch (code)
        {
            case UsKeyMap.LeftShift:
                _leftShift = value != Released;
                return;
            case UsKeyMap.RightShift:
                _rightShift = value != Released;
                return;
        }

        if (value == Released)
        {
            return;
        }

        if (code is UsKeyMap.Enter or UsKeyMap.KeypadEnter)
        {
            EndLine(lines);
        }
        else if (code == UsKeyMap.CapsLock)
        {
            _capsLock ^= value == Pressed;
        }
        else if (UsKeyMap.TryGetChar(code, _leftShift || _rightShift, _capsLock, out var c))
        {
            Type(c);
        }
    }

    private void Type(char c)
    {
        if (_line.Length == _maxLineLength)
        {
            _overflowed = true;
            return;
        }

        _line.Append(c);
    }

    private void EndLine(ICollection<ScanLine> lines)
    {
        if (_overflowed)
        {
            lines.Add(ScanLine.Dropped($"the line was longer than {_maxLineLength} characters"));
        }
        else if (_line.Length > 0)
        {
            lines.Add(new ScanLine(_line.ToString()));
        }

        _line.Clear();
        _overflowed = false;
    }
}
