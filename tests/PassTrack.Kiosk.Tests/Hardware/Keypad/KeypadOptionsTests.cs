using Microsoft.Extensions.Configuration;
using PassTrack.Kiosk.Hardware.Keypad;

namespace PassTrack.Kiosk.Tests.Hardware.Keypad;

public sealed class KeypadOptionsTests
{
    [Fact]
    public void Configured_pins_replace_the_default_wiring_rather_than_adding_to_it()
    {
        var options = Bind(new()
        {
            ["Keypad:RowPins:0"] = "4", ["Keypad:RowPins:1"] = "17", ["Keypad:RowPins:2"] = "27", ["Keypad:RowPins:3"] = "22",
            ["Keypad:GpioChip"] = "4",
        });

        Assert.Equal([4, 17, 27, 22], options.Rows);
        Assert.Equal(KeypadOptions.DefaultColumnPins, options.Columns);
        Assert.Equal(4, options.GpioChip);
    }

    [Fact]
    public void Buttons_bind_from_pin_to_key()
    {
        var options = Bind(new() { ["Keypad:Kind"] = "Buttons", ["Keypad:Buttons:17"] = "A", ["Keypad:Buttons:27"] = "#" });

        Assert.Equal(KeypadKind.Buttons, options.Kind);
        Assert.Equal(new Dictionary<int, char> { [17] = 'A', [27] = '#' }, options.Buttons);
    }

    private static KeypadOptions Bind(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("Keypad").Get<KeypadOptions>()
            ?? throw new InvalidOperationException("Nothing bound.");
}
