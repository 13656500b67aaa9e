using System.Buffers.Binary;

namespace PassTrack.Kiosk.Tests.Hardware.Scanners;

/// <summary>
/// Writes struct input_event records as the kernel lays them out for a 64-bit process (timeval 16 bytes, type u16,
/// code u16, value s32, little-endian), each key stroke framed the way a USB HID keyboard's are: MSC_SCAN, then the
/// EV_KEY event, then SYN_REPORT.
/// </summary>
internal sealed class InputEvents(int timevalSize = 16)
{
    public const ushort LeftShift = 42;
    public const ushort RightShift = 54;
    public const ushort CapsLock = 58;
    public const ushort Enter = 28;
    public const ushort KeypadEnter = 96;

    private const ushort Syn = 0;
    private const ushort Key = 1;
    private const ushort Misc = 4;

    // US layout, written out independently of the product's table.
    private static readonly Dictionary<char, (ushort Code, bool Shift)> Layout = BuildLayout();

    private readonly List<byte> _bytes = [];
    private long _microseconds = 1_700_000_000_000_000;

    public InputEvents Down(ushort code) => Stroke(code, 1);

    public InputEvents Repeat(ushort code) => Stroke(code, 2);

    public InputEvents Up(ushort code) => Stroke(code, 0);

    public InputEvents Tap(ushort code) => Down(code).Up(code);

    /// <summary>Types text as a keyboard wedge does: Shift around capitals and symbols, '\n' as Enter.</summary>
    public InputEvents Type(string text, ushort shiftKey = LeftShift)
    {
        foreach (var c in text)
        {
            var (code, shift) = c == '\n' ? (Enter, false) : Layout[c];
            if (shift)
            {
                Down(shiftKey);
            }

            Tap(code);
            if (shift)
            {
                Up(shiftKey);
            }
        }

        return this;
    }

    public byte[] ToArray() => [.. _bytes];

    private InputEvents Stroke(ushort code, int value)
    {
        Write(Misc, 4, 0x70000 + code);
        Write(Key, code, value);
        Write(Syn, 0, 0);
        return this;
    }

    private void Write(ushort type, ushort code, int value)
    {
        _microseconds += 1_000;
        var record = new byte[timevalSize + 8];
        var half = timevalSize / 2;
        if (half == 8)
        {
            BinaryPrimitives.WriteInt64LittleEndian(record, _microseconds / 1_000_000);
            BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(8), _microseconds % 1_000_000);
        }
        else
        {
            BinaryPrimitives.WriteInt32LittleEndian(record, (int)(_microseconds / 1_000_000));
            BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(4), (int)(_microseconds % 1_000_000));
        }

        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(timevalSize), type);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(timevalSize + 2), code);
        BinaryPrimitives.WriteInt32LittleEndian(record.AsSpan(timevalSize + 4), value);
        _bytes.AddRange(record);
    }

    private static Dictionary<char, (ushort, bool)> BuildLayout()
    {
        var layout = new Dictionary<char, (ushort, bool)>();
        void Keys(string plain, string shifted, params ushort[] codes)
        {
            for (var i = 0; i < codes.Length; i++)
            {
                layout[plain[i]] = (codes[i], false);
                layout[shifted[i]] = (codes[i], true);
            }
        }

        Keys("1234567890", "!@#$%^&*()", 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        Keys("-=[];'`\\,./", "_+{}:\"~|<>?", 12, 13, 26, 27, 39, 40, 41, 43, 51, 52, 53);
        Keys("qwertyuiop", "QWERTYUIOP", 16, 17, 18, 19, 20, 21, 22, 23, 24, 25);
        Keys("asdfghjkl", "ASDFGHJKL", 30, 31, 32, 33, 34, 35, 36, 37, 38);
        Keys("zxcvbnm", "ZXCVBNM", 44, 45, 46, 47, 48, 49, 50);
        layout[' '] = (57, false);
        return layout;
    }
}
