using System.Device.Gpio;

namespace PassTrack.Kiosk.Hardware.Keypad;

/// <summary>A few discrete push buttons, each between its GPIO pin (pulled up) and ground, each standing for a key.</summary>
public sealed class ButtonPad : IKeypad
{
    private readonly GpioController _gpio;
    private readonly bool _ownsController;
    private readonly (int Pin, char Key, KeyDebouncer Contact)[] _buttons;
    private readonly Queue<char> _presses = new();
    private bool _disposed;

    public ButtonPad(
        GpioController gpio,
        IReadOnlyDictionary<int, char> buttons,
        TimeProvider time,
        TimeSpan debounce,
        bool ownsController = true)
    {
        ArgumentNullException.ThrowIfNull(gpio);
        ArgumentNullException.ThrowIfNull(buttons);
        ArgumentNullException.ThrowIfNull(time);
        if (buttons.Count == 0)
        {
            throw new ArgumentException("No buttons are configured.", nameof(buttons));
        }

        _gpio = gpio;
        _ownsController = ownsController;
        _buttons = [.. buttons.OrderBy(b => b.Key).Select(b => (b.Key, b.Value, new KeyDebouncer(time, debounce)))];
        foreach (var (pin, _, _) in _buttons)
        {
            _gpio.OpenPin(pin, PinMode.InputPullUp);
        }
    }

    public ButtonPad(GpioController gpio, KeypadOptions options, TimeProvider time, bool ownsController = true)
        : this(
            gpio,
            options?.Buttons ?? throw new ArgumentNullException(nameof(options)),
            time,
            TimeSpan.FromMilliseconds(options.DebounceMs),
            ownsController)
    {
    }

    public char? Poll()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var (pin, key, contact) in _buttons)
        {
            if (contact.Update(_gpio.Read(pin) == PinValue.Low))
            {
                _presses.Enqueue(key);
            }
        }

        return _presses.TryDequeue(out var next) ? next : null;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var (pin, _, _) in _buttons)
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
