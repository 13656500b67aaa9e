using System.Device.Gpio;

namespace PassTrack.Kiosk.Hardware.Keypad;

/// <summary>
/// A row/column matrix keypad. Columns are inputs with pull-ups; each scan drives one row low at a time and a pressed
/// key on that row pulls its column low. Rows not being scanned are left as inputs (high impedance) rather than driven
/// high, so two keys held in one column never short a high output against the low one.
/// </summary>
public sealed class MatrixKeypad : IKeypad
{
    public const string StandardLayout = "123A/456B/789C/*0#D";

    private readonly GpioController _gpio;
    private readonly bool _ownsController;
    private readonly int[] _rows;
    private readonly int[] _columns;
    private readonly char[,] _legends;
    private readonly KeyDebouncer[,] _keys;
    private readonly Queue<char> _presses = new();
    private bool _disposed;

    public MatrixKeypad(
        GpioController gpio,
        IReadOnlyList<int> rowPins,
        IReadOnlyList<int> columnPins,
        string layout,
        TimeProvider time,
        TimeSpan debounce,
        bool ownsController = true)
    {
        ArgumentNullException.ThrowIfNull(gpio);
        ArgumentNullException.ThrowIfNull(rowPins);
        ArgumentNullException.ThrowIfNull(columnPins);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(time);
        _rows = [.. rowPins];
        _columns = [.. columnPins];
        var layoutRows = layout.Split('/');
        if (layoutRows.Length != _rows.Length || layoutRows.Any(r => r.Length != _columns.Length))
        {
            throw new ArgumentException(
                $"The layout \"{layout}\" does not have {_rows.Length} rows of {_columns.Length} keys.", nameof(layout));
        }

        if (_rows.Concat(_columns).Distinct().Count() != _rows.Length + _columns.Length)
        {
            throw new ArgumentException("A GPIO pin is used twice in the keypad's rows and columns.", nameof(rowPins));
        }

        _gpio = gpio;
        _ownsController = ownsController;
        _legends = new char[_rows.Length, _columns.Length];
        _keys = new KeyDebouncer[_rows.Length, _columns.Length];
        for (var r = 0; r < _rows.Length; r++)
        {
            for (var c = 0; c < _columns.Length; c++)
            {
                _legends[r, c] = layoutRows[r][c];
                _keys[r, c] = new KeyDebouncer(time, debounce);
            }
        }

        foreach (var row in _rows)
        {
            _gpio.OpenPin(row, PinMode.Input);
        }

        foreach (var column in _columns)
        {
            _gpio.OpenPin(column, PinMode.InputPullUp);
        }
    }

    public MatrixKeypad(GpioController gpio, KeypadOptions options, TimeProvider time, bool ownsController = true)
        : this(
            gpio,
            options?.Rows ?? throw new ArgumentNullException(nameof(options)),
            options.Columns,
            options.Layout,
            time,
            TimeSpan.FromMilliseconds(options.DebounceMs),
            ownsController)
    {
    }

    public char? Poll()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        for (var r = 0; r < _rows.Length; r++)
        {
            _gpio.SetPinMode(_rows[r], PinMode.Output);
            _gpio.Write(_rows[r], PinValue.Low);
            for (var c = 0; c < _columns.Length; c++)
            {
                if (_keys[r, c].Update(_gpio.Read(_columns[c]) == PinValue.Low))
                {
                    _presses.Enqueue(_legends[r, c]);
                }
            }

            _gpio.SetPinMode(_rows[r], PinMode.Input);
        }

        return _presses.TryDequeue(out var key) ? key : null;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var pin in _rows.Concat(_columns))
        {
            if (_gpio.IsPinOpen(pin))
            {
                _gpio.ClosePin(pin);
            }
        }

        if (_ownsController)
        {
            _gpio.Dispose();
        }
    }
}
