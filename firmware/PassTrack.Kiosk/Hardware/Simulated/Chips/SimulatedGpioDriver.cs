using System.Device.Gpio;

namespace PassTrack.Kiosk.Hardware.Simulated.Chips;

/// <summary>
/// The bookkeeping every simulated GPIO chip shares: which lines are open, their modes and output latches. What an input
/// reads is up to the circuit wired to the pins (<see cref="ReadInput"/>). An input with no pull and nothing driving it
/// floats; the simulation reads it as low, so a missing pull-up shows as phantom presses.
/// </summary>
internal abstract class SimulatedGpioDriver : GpioDriver
{
    private readonly Dictionary<int, PinMode> _modes = [];
    private readonly Dictionary<int, PinValue> _latches = [];

    public IReadOnlyCollection<int> OpenPins => _modes.Keys;

    protected override int PinCount => 28;

    public PinMode? ModeOf(int pin) => _modes.TryGetValue(pin, out var mode) ? mode : null;

    /// <summary>Whether the pin is an output driving <paramref name="level"/>.</summary>
    public bool Drives(int pin, PinValue level) =>
        _modes.TryGetValue(pin, out var mode) && mode == PinMode.Output && _latches[pin] == level;

    protected abstract PinValue ReadInput(int pin, PinMode mode);

    /// <summary>Called after every change the driver makes, to check the circuit is still safe.</summary>
    protected virtual void Changed()
    {
    }

    protected override void OpenPin(int pinNumber)
    {
        if (!_modes.TryAdd(pinNumber, PinMode.Input))
        {
            throw new InvalidOperationException($"GPIO{pinNumber} is already open.");
        }

        _latches[pinNumber] = PinValue.Low;
        Changed();
    }

    protected override void ClosePin(int pinNumber)
    {
        _modes.Remove(pinNumber);
        _latches.Remove(pinNumber);
        Changed();
    }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        EnsureOpen(pinNumber);
        _modes[pinNumber] = mode;
        Changed();
    }

    protected override PinMode GetPinMode(int pinNumber)
    {
        EnsureOpen(pinNumber);
        return _modes[pinNumber];
    }

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) =>
        mode is PinMode.Input or PinMode.Output or PinMode.InputPullUp or PinMode.InputPullDown;

    protected override PinValue Read(int pinNumber)
    {
        EnsureOpen(pinNumber);
        var mode = _modes[pinNumber];
        return mode == PinMode.Output ? _latches[pinNumber] : ReadInput(pinNumber, mode);
    }

    protected override void Write(int pinNumber, PinValue value)
    {
        EnsureOpen(pinNumber);
        if (_modes[pinNumber] != PinMode.Output)
        {
            throw new InvalidOperationException($"GPIO{pinNumber} is not an output.");
        }

        _latches[pinNumber] = value;
        Changed();
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The keypads poll; nothing waits for edges.");

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) =>
        throw new NotSupportedException("The keypads poll; nothing waits for edges.");

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback) =>
        throw new NotSupportedException("The keypads poll; nothing waits for edges.");

    private void EnsureOpen(int pin)
    {
        if (!_modes.ContainsKey(pin))
        {
            throw new InvalidOperationException($"GPIO{pin} is not open.");
        }
    }
}
