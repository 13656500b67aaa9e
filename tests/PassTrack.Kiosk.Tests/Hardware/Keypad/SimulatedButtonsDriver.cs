using System.Device.Gpio;
using PassTrack.Kiosk.Hardware.Simulated.Chips;

namespace PassTrack.Kiosk.Tests.Hardware.Keypad;

/// <summary>Push buttons, each between a GPIO pin and ground: a held button pulls its pin low.</summary>
internal sealed class SimulatedButtonsDriver(TimeProvider time) : SimulatedGpioDriver
{
    public Contacts<int> Buttons { get; } = new(time);

    protected override PinValue ReadInput(int pin, PinMode mode) =>
        !Buttons.IsClosed(pin) && mode == PinMode.InputPullUp ? PinValue.High : PinValue.Low;
}
