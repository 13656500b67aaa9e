using System.Device.Gpio;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using PassTrack.Kiosk.Hardware.Keypad;
using PassTrack.Kiosk.Hardware.Simulated.Chips;

namespace PassTrack.Kiosk.Tests.Hardware.Keypad;

public sealed class MatrixKeypadTests : IDisposable
{
    private static readonly int[] Rows = [5, 6, 13, 19];
    private static readonly int[] Columns = [12, 16, 20, 21];
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(2);

    private readonly FakeTimeProvider _time = new();
    private readonly SimulatedKeypadDriver _board;
    private readonly MatrixKeypad _keypad;

    public MatrixKeypadTests()
    {
        _board = new SimulatedKeypadDriver(_time, Rows, Columns, MatrixKeypad.StandardLayout);
        _keypad = new MatrixKeypad(new GpioController(_board), new KeypadOptions(), _time);
    }

    public void Dispose() => _keypad.Dispose();

    [Fact]
    public void Every_key_reads_as_its_legend()
    {
        var typed = new StringBuilder();
        foreach (var key in MatrixKeypad.StandardLayout.Replace("/", "", StringComparison.Ordinal))
        {
            _board.Keys.Press(key);
            typed.Append(PollFor(TimeSpan.FromMilliseconds(80)));
            _board.Keys.Release(key);
            typed.Append(PollFor(TimeSpan.FromMilliseconds(80)));
        }

        Assert.Equal("123A456B789C*0#D", typed.ToString());
    }

    [Fact]
    public void A_bouncing_key_is_one_press()
    {
        _board.Keys.Press('7', bounce: TimeSpan.FromMilliseconds(8));
        var whilePressed = PollFor(TimeSpan.FromMilliseconds(200));
        _board.Keys.Release('7', bounce: TimeSpan.FromMilliseconds(8));
        var afterRelease = PollFor(TimeSpan.FromMilliseconds(200));

        Assert.Equal("7", whilePressed);
        Assert.Equal("", afterRelease);
    }

    [Fact]
    public void The_simulated_bounce_shows_both_levels_where_the_keypad_samples_it()
    {
        _board.Keys.Press('7', bounce: TimeSpan.FromMilliseconds(8));
        var seen = new List<bool>();
        for (var i = 0; i < 4; i++)
        {
            _time.Advance(PollEvery);
            seen.Add(_board.Keys.IsClosed('7'));
        }

        Assert.Contains(true, seen);
        Assert.Contains(false, seen);
    }

    [Fact]
    public void A_press_counts_once_the_key_has_settled_for_the_debounce_time()
    {
        _board.Keys.Press('5');

        Assert.Equal("", PollFor(TimeSpan.FromMilliseconds(30)));
        Assert.Equal("5", PollFor(TimeSpan.FromMilliseconds(4)));
    }

    [Fact]
    public void A_held_key_is_one_press()
    {
        _board.Keys.Press('#');

        Assert.Equal("#", PollFor(TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public void Releasing_and_pressing_again_is_a_second_press()
    {
        _board.Keys.Press('0', bounce: TimeSpan.FromMilliseconds(5));
        var typed = PollFor(TimeSpan.FromMilliseconds(100));
        _board.Keys.Release('0', bounce: TimeSpan.FromMilliseconds(5));
        typed += PollFor(TimeSpan.FromMilliseconds(100));
        _board.Keys.Press('0', bounce: TimeSpan.FromMilliseconds(5));
        typed += PollFor(TimeSpan.FromMilliseconds(100));

        Assert.Equal("00", typed);
    }

    [Fact]
    public void Two_keys_in_sequence_read_in_order()
    {
        _board.Keys.Press('4');
        var typed = PollFor(TimeSpan.FromMilliseconds(60));
        _board.Keys.Release('4');
        _board.Keys.Press('D');
        typed += PollFor(TimeSpan.FromMilliseconds(60));

        Assert.Equal("4D", typed);
    }

    [Fact]
    public void A_contact_shorter_than_the_debounce_time_is_no_press()
    {
        _board.Keys.Press('9');
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var blip = PollFor(TimeSpan.FromMilliseconds(10));
        _board.Keys.Release('9');

        Assert.Equal("", blip + PollFor(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public void Nothing_pressed_reads_nothing()
    {
        Assert.Equal("", PollFor(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Two_keys_held_in_one_column_never_short_two_outputs()
    {
        _board.Keys.Press('1');
        _board.Keys.Press('4');
        _board.Keys.Press('7');

        var typed = PollFor(TimeSpan.FromMilliseconds(100));

        Assert.Equal("147", typed);
        Assert.Equal(0, _board.Shorts);
        Assert.All(Rows, row => Assert.Equal(PinMode.Input, _board.ModeOf(row)));
        Assert.All(Columns, column => Assert.Equal(PinMode.InputPullUp, _board.ModeOf(column)));
    }

    [Fact]
    public void Disposing_the_keypad_releases_its_pins()
    {
        _keypad.Dispose();

        Assert.Empty(_board.OpenPins);
    }

    [Fact]
    public void A_layout_that_does_not_fit_the_pins_is_refused()
    {
        var board = new SimulatedKeypadDriver(_time, Rows, Columns, MatrixKeypad.StandardLayout);

        var error = Assert.Throws<ArgumentException>(() =>
            new MatrixKeypad(new GpioController(board), new KeypadOptions { Layout = "123/456/789/*0#" }, _time));
        Assert.Contains("4 rows of 4 keys", error.Message, StringComparison.Ordinal);
    }

    private string PollFor(TimeSpan duration)
    {
        var typed = new StringBuilder();
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += PollEvery)
        {
            _time.Advance(PollEvery);
            if (_keypad.Poll() is { } key)
            {
                typed.Append(key);
            }
        }

        return typed.ToString();
    }
}
