using System.Device.Gpio;
using PassTrack.Kiosk.Hardware.Simulated.Chips;

namespace PassTrack.Kiosk.Tests.Hardware.CardReader;

/// <summary>A GPIO driver whose one pin is wired to the simulated chip's RST (NRSTPD) input.</summary>
public sealed class SimulatedResetLine(Mfrc522Simulator chip, int resetPin) : GpioDriver
{
    private PinMode _mode = PinMode.Input;
    private PinValue _level = PinValue.High;

    protected override int PinCount => 28;

    protected override void OpenPin(int pinNumber)
    {
    }

    protected override void ClosePin(int pinNumber)
    {
    }

    protected override void SetPinMode(int pinNumber, PinMode mode) => _mode = mode;

    protected override void SetPinMode(int pinNumber, PinMode mode, PinValue initialValue)
    {
        _mode = mode;
        Write(pinNumber, initialValue);
    }

    protected override PinMode GetPinMode(int pinNumber) => _mode;

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    protected override PinValue Read(int pinNumber) => _level;

    protected override void Write(int pinNumber, PinValue value)
    {
        if (pinNumber != resetPin || _mode != PinMode.Output)
        {
            return;
        }
        _level = value;
        chip.SetResetLine(value == PinValue.High);
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The reset line is an output.");

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) =>
        throw new NotSupportedException("The reset line is an output.");

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback) =>
        throw new NotSupportedException("The reset line is an output.");
}
