using System.Device.Gpio;

namespace PassTrack.Kiosk.Hardware.Simulated.Chips;

/// <summary>
/// A 4x4 membrane keypad wired to the GPIO header. A pressed key joins its row and column: a column reads low only while
/// a closed key connects it to a row driven low. It also watches for shorts: two outputs at different levels joined
/// through held keys.
/// </summary>
internal sealed class SimulatedKeypadDriver : SimulatedGpioDriver
{
    private readonly int[] _rows;
    private readonly int[] _columns;
    private readonly string[] _legends;

    public SimulatedKeypadDriver(TimeProvider time, int[] rows, int[] columns, string layout)
    {
        _rows = rows;
        _columns = columns;
        _legends = layout.Split('/');
        Keys = new Contacts<char>(time);
    }

    public Contacts<char> Keys { get; }

    public int Shorts { get; private set; }

    protected override PinValue ReadInput(int pin, PinMode mode)
    {
        var column = Array.IndexOf(_columns, pin);
        if (column >= 0)
        {
            for (var row = 0; row < _rows.Length; row++)
            {
                if (Keys.IsClosed(_legends[row][column]) && Drives(_rows[row], PinValue.Low))
                {
                    return PinValue.Low;
                }
            }
        }

        return mode == PinMode.InputPullUp ? PinValue.High : PinValue.Low;
    }

    protected override void Changed()
    {
        for (var column = 0; column < _columns.Length; column++)
        {
            var driven = Enumerable.Range(0, _rows.Length)
                .Where(row => Keys.IsClosed(_legends[row][column]))
                .Select(row => _rows[row])
                .Append(_columns[column])
                .ToList();
            if (driven.Any(p => Drives(p, PinValue.High)) && driven.Any(p => Drives(p, PinValue.Low)))
            {
                Shorts++;
            }
        }
    }
}
