using System.Text;

namespace PassTrack.Kiosk.Hardware.Scanners;

/// <summary>
/// Splits a serial scanner's byte stream into lines ending in CR, LF or CR LF, however the reads cut it. Lines are UTF-8
/// (plain ASCII from most scanners); empty lines are skipped, which also makes CR LF one ending, and over-long ones are
/// dropped whole.
/// </summary>
public sealed class LineSplitter
{
    private readonly int _maxLineLength;
    private readonly List<byte> _line = [];
    private bool _overflowed;

    public LineSplitter(int maxLineLength = 128)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineLength, 1);
        _maxLineLength = maxLineLength;
    }

    public void Feed(ReadOnlySpan<byte> bytes, ICollection<ScanLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        foreach (var b in bytes)
        {
            if (b is (byte)'\r' or (byte)'\n')
            {
                EndLine(lines);
            }
            else if (_line.Count < _maxLineLength * 4)
            {
                _line.Add(b);
            }
            else
            {
                _overflowed = true;
            }
        }
    }

    private void EndLine(ICollection<ScanLine> lines)
    {
        if (_line.Count > 0 || _overflowed)
        {
            var text = Encoding.UTF8.GetString([.. _line]);
            lines.Add(_overflowed || text.Length > _maxLineLength
                ? ScanLine.Dropped($"the line was longer than {_maxLineLength} characters")
                : new ScanLine(text));
        }

        _line.Clear();
        _overflowed = false;
    }
}
