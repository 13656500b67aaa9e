using System.Device.Gpio;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using PassTrack.Kiosk.Hardware.Keypad;

namespace PassTrack.Kiosk.Tests.Hardware.Keypad;

public sealed class ButtonPadTests : IDisposable
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(2);

    private readonly FakeTimeProvider _time = new();
    private readonly SimulatedButtonsDriver _board;
    private readonly ButtonPad _pad;

    public ButtonPadTests()
    {
        _board = new SimulatedButtonsDriver(_time);
        var options = new KeypadOptions
        {
            Kind = KeypadKind.Buttons,
            Buttons = new Dictionary<int, char> { [17] = 'A', [27] = 'B', [22] = '#' },
        };
        _pad = new ButtonPad(new GpioController(_board), options, _time);
    }

    public void Dispose() => _pad.Dispose();

    [Fact]
    public void Each_button_reads_as_its_key()
    {
        var typed = new StringBuilder();
        foreach (var pin in new[] { 22, 17, 27 })
        {
            _board.Buttons.Press(pin);
            typed.Append(PollFor(TimeSpan.FromMilliseconds(60)));
            _board.Buttons.Release(pin);
            typed.Append(PollFor(TimeSpan.FromMilliseconds(60)));
        }

        Assert.Equal("#AB", typed.ToString());
    }

    [Fact]
    public void A_bouncing_button_held_down_is_one_press()
    {
        _board.Buttons.Press(17, bounce: TimeSpan.FromMilliseconds(10));
        var typed = PollFor(TimeSpan.FromSeconds(2));
        _board.Buttons.Release(17, bounce: TimeSpan.FromMilliseconds(10));
        typed += PollFor(TimeSpan.FromMilliseconds(200));

        Assert.Equal("A", typed);
    }

    [Fact]
    public void Buttons_at_rest_read_nothing_because_their_pins_are_pulled_up()
    {
        Assert.Equal("", PollFor(TimeSpan.FromSeconds(1)));
        Assert.All(new[] { 17, 22, 27 }, pin => Assert.Equal(PinMode.InputPullUp, _board.ModeOf(pin)));
    }

    [Fact]
    public void A_button_on_a_pin_not_configured_is_ignored()
    {
        _board.Buttons.Press(4);

        Assert.Equal("", PollFor(TimeSpan.FromMilliseconds(200)));
    }

    private string PollFor(TimeSpan duration)
    {
        var typed = new StringBuilder();
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += PollEvery)
        {
            _time.Advance(PollEvery);
            if (_pad.Poll() is { } key)
            {
                typed.Append(key);
            }
        }

        return typed.ToString();
    }
}
