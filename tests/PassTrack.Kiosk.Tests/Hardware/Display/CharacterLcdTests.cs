using Microsoft.Extensions.Time.Testing;
using PassTrack.Kiosk.Hardware;
using PassTrack.Kiosk.Hardware.Display;
using PassTrack.Kiosk.Hardware.Simulated.Chips;

namespace PassTrack.Kiosk.Tests.Hardware.Display;

public sealed class CharacterLcdTests : IDisposable
{
    private static readonly string[] Blank = [new(' ', 20), new(' ', 20), new(' ', 20), new(' ', 20)];

    private readonly FakeTimeProvider _time = new();
    private readonly Pcf8574Hd44780Simulator _chip;

    public CharacterLcdTests() => _chip = new Pcf8574Hd44780Simulator(_time, SpanishGlyphs.Bitmaps);

    public void Dispose() => _chip.Dispose();

    [Fact]
    public void Initialising_leaves_the_chip_in_4_bit_two_line_mode_with_the_display_on_and_no_timing_violation()
    {
        using var lcd = Open();

        Assert.True(_chip.FourBitInterface);
        Assert.True(_chip.TwoLines);
        Assert.False(_chip.Font5x10);
        Assert.True(_chip.DisplayOn);
        Assert.False(_chip.CursorOn);
        Assert.False(_chip.BlinkOn);
        Assert.True(_chip.EntryIncrement);
        Assert.False(_chip.EntryShiftsDisplay);
        Assert.Equal(Blank, _chip.Text);
        Assert.Empty(_chip.Violations);
    }

    [Fact]
    public void A_driver_that_does_not_wait_is_caught_by_the_simulator()
    {
        using var lcd = Open(new NoDelay());
        lcd.Show(["Hola"]);

        Assert.Contains(_chip.Violations, v => v.Contains("power-up wait", StringComparison.Ordinal));
        Assert.Contains(_chip.Violations, v => v.Contains("first function set", StringComparison.Ordinal));
        Assert.Contains(_chip.Violations, v => v.Contains("second function set", StringComparison.Ordinal));
        Assert.Contains(_chip.Violations, v => v.Contains("instruction 0x01", StringComparison.Ordinal));
        Assert.Contains(_chip.Violations, v => v.Contains("busy with a data write", StringComparison.Ordinal));
    }

    [Fact]
    public void A_driver_that_waits_only_seven_tenths_of_each_delay_is_caught_too()
    {
        using var lcd = Open(new FakeClockDelay(_time, share: 0.7));
        lcd.Show(["Hola"]);

        // 50 ms -> 35 ms, 5 ms -> 3.5 ms, 2 ms -> 1.4 ms and 50 µs -> 35 µs are all short; 150 µs -> 105 µs is not.
        Assert.Contains(_chip.Violations, v => v.Contains("power-up wait", StringComparison.Ordinal));
        Assert.Contains(_chip.Violations, v => v.Contains("first function set", StringComparison.Ordinal));
        Assert.DoesNotContain(_chip.Violations, v => v.Contains("second function set", StringComparison.Ordinal));
        Assert.Contains(_chip.Violations, v => v.Contains("instruction 0x01", StringComparison.Ordinal));
        Assert.Contains(_chip.Violations, v => v.Contains("busy with a data write", StringComparison.Ordinal));
    }

    [Fact]
    public void Changing_the_data_in_the_write_that_drops_E_is_a_hold_time_violation()
    {
        var wiring = Pcf8574Wiring.Usual;
        _time.Advance(TimeSpan.FromMilliseconds(50));

        _chip.WriteByte(wiring.DataBits(0x3));
        _chip.WriteByte((byte)(wiring.DataBits(0x3) | wiring.EMask));
        _chip.WriteByte(wiring.DataBits(0x2));

        Assert.Contains(_chip.Violations, v => v.Contains("hold time", StringComparison.Ordinal));
    }

    [Fact]
    public void Each_row_lands_at_its_DDRAM_address()
    {
        using var lcd = Open();

        lcd.Show(["Row zero", "Row one", "Row two", "Row three"]);

        Assert.Equal("Row zero", Encoding(Ddram(0x00, 8)));
        Assert.Equal("Row one", Encoding(Ddram(0x40, 7)));
        Assert.Equal("Row two", Encoding(Ddram(0x14, 7)));
        Assert.Equal("Row three", Encoding(Ddram(0x54, 9)));
        Assert.Equal(["Row zero            ", "Row one             ", "Row two             ", "Row three           "], _chip.Text);
        Assert.Empty(_chip.Violations);
    }

    [Fact]
    public void A_second_screen_with_one_word_changed_writes_far_fewer_bytes()
    {
        using var lcd = Open();
        string[] first = ["PASE CONCEDIDO", "Ana Garcia", "Destino: Biblioteca", "Vuelve en 10 min"];
        string[] second = ["PASE CONCEDIDO", "Ana Garcia", "Destino: Enfermeria", "Vuelve en 10 min"];
        lcd.Show(first);
        var afterFirst = _chip.BytesWritten;
        lcd.Show(first);
        var afterRepeat = _chip.BytesWritten;

        lcd.Show(second);

        var forSecond = _chip.BytesWritten - afterRepeat;
        Assert.Equal(afterFirst, afterRepeat);
        Assert.True(forSecond < afterFirst / 4, $"{forSecond} bytes for one word against {afterFirst} for the screen");
        Assert.Equal([.. second.Select(line => line.PadRight(20))], _chip.Text);
        Assert.Empty(_chip.Violations);
    }

    [Fact]
    public void Spanish_text_shows_with_ROM_letters_and_custom_glyphs()
    {
        using var lcd = Open();

        lcd.Show(["¿Adónde vas, Ana?", "Baño", "Enfermería", "Sí"]);

        Assert.Equal(["¿Adónde vas, Ana?   ", "Baño                ", "Enfermería          ", "Sí                  "], _chip.Text);
        Assert.Equal(0xEE, _chip.RowCodes(1)[2]);
        foreach (var (row, column, glyph) in new[] { (0, 0, '¿'), (0, 3, 'ó'), (2, 8, 'í'), (3, 1, 'í') })
        {
            var code = _chip.RowCodes(row)[column];
            Assert.InRange(code, 0, 7);
            Assert.Equal(SpanishGlyphs.Bitmaps[glyph], _chip.GlyphIn(code));
        }
        Assert.Empty(_chip.Violations);
    }

    [Fact]
    public void A_screen_wanting_other_glyphs_reuses_the_slots_it_does_not_need()
    {
        using var lcd = Open();
        lcd.Show(["ÁÉÍÓÚÜ ¡¿"]);

        lcd.Show(["¿Qué tal, Óscar?", "¡Árbol!", "", "Baño"]);

        Assert.Equal(["¿Qué tal, Óscar?    ", "¡Árbol!             ", Blank[2], "Baño                "], _chip.Text);
        Assert.Empty(_chip.Violations);
    }

    [Fact]
    public void With_more_than_eight_glyphs_the_enye_and_opening_marks_win_and_the_rest_lose_their_accents()
    {
        using var lcd = Open();

        lcd.Show(["ÁÉÍÓÚ Ü á é í ó ú", "¡AÑO!"]);

        Assert.Equal(["ÁÉÍÓÚ Ü a e i o u   ", "¡AÑO!               ", Blank[2], Blank[3]], _chip.Text);
    }

    [Fact]
    public void Long_lines_are_cut_short_ones_padded_and_odd_characters_made_plain()
    {
        using var lcd = Open();

        lcd.Show(["Esta línea es demasiado larga", "Espera…", "A—B “x” 5 €", "cafe\u0301"]);

        Assert.Equal(["Esta línea es demasi", "Espera...           ", "A-B \"x\" 5 ?         ", "café                "], _chip.Text);
    }

    [Fact]
    public void Rows_not_given_are_blanked()
    {
        using var lcd = Open();
        lcd.Show(["uno", "dos", "tres", "cuatro"]);

        lcd.Show(["uno"]);

        Assert.Equal(["uno                 ", Blank[1], Blank[2], Blank[3]], _chip.Text);
    }

    [Fact]
    public void Backlight_off_and_on_reaches_the_port_bit()
    {
        using var lcd = Open();
        Assert.True(_chip.Backlight);

        lcd.Backlight = false;
        Assert.False(_chip.Backlight);
        lcd.Show(["Sin luz"]);
        Assert.False(_chip.Backlight);

        lcd.Backlight = true;
        Assert.True(_chip.Backlight);
        Assert.Equal("Sin luz", _chip.RowText(0).TrimEnd());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_chip_left_in_4_bit_mode_by_a_previous_run_is_brought_back_in_step(bool halfWayThroughAByte)
    {
        _time.Advance(TimeSpan.FromMinutes(5));
        _chip.LeaveRunningInFourBitMode(halfWayThroughAByte);

        using var lcd = Open();
        lcd.Show(["Hola", "", "", "Sí"]);

        Assert.True(_chip.FourBitInterface);
        Assert.True(_chip.TwoLines);
        Assert.Equal(["Hola                ", Blank[1], Blank[2], "Sí                  "], _chip.Text);
        Assert.Empty(_chip.Violations);
    }

    [Fact]
    public void After_a_failed_write_the_next_screen_initialises_again_and_repaints_everything()
    {
        using var lcd = Open();
        lcd.Show(["Baño", "Enfermería"]);
        _chip.Unplugged = true;

        Assert.Throws<IOException>(() => lcd.Show(["Sí"]));

        _chip.Unplugged = false;
        _chip.PowerCycle();
        lcd.Show(["Baño", "Enfermería"]);
        Assert.True(_chip.DisplayOn);
        Assert.Equal(["Baño                ", "Enfermería          ", Blank[2], Blank[3]], _chip.Text);
        Assert.Empty(_chip.Violations);
    }

    [Fact]
    public void A_backpack_wired_another_way_works_through_the_configured_mapping()
    {
        var wiring = new Pcf8574Wiring(Rs: 7, Rw: 6, E: 5, Backlight: 4, D4: 0, D5: 1, D6: 2, D7: 3);
        var chip = new Pcf8574Hd44780Simulator(_time, SpanishGlyphs.Bitmaps, wiring);

        using var lcd = new CharacterLcd(chip, new LcdOptions(Wiring: wiring), new FakeClockDelay(_time));
        lcd.Show(["Otra placa", "Baño"]);
        lcd.Backlight = false;

        Assert.Equal("Otra placa", chip.RowText(0).TrimEnd());
        Assert.Equal("Baño", chip.RowText(1).TrimEnd());
        Assert.False(chip.Backlight);
        Assert.Empty(chip.Violations);
    }

    [Fact]
    public void A_smaller_glass_is_addressed_by_its_own_width()
    {
        var chip = new Pcf8574Hd44780Simulator(_time, SpanishGlyphs.Bitmaps, columns: 16, rows: 2);

        using var lcd = new CharacterLcd(chip, new LcdOptions(Columns: 16, Rows: 2), new FakeClockDelay(_time));
        lcd.Show(["Dieciséis columnas!", "dos filas"]);

        Assert.Equal(["Dieciséis column", "dos filas       "], chip.Text);
    }

    [Theory]
    [InlineData(40, 4)]
    [InlineData(20, 5)]
    [InlineData(0, 2)]
    public void A_glass_one_controller_cannot_drive_is_refused(int columns, int rows)
    {
        Assert.Throws<ArgumentException>(() => new CharacterLcd(_chip, new LcdOptions(Columns: columns, Rows: rows), new NoDelay()));
        Assert.Equal(0, _chip.BytesWritten);
    }

    [Fact]
    public void Every_custom_glyph_is_five_dots_wide_with_the_cursor_line_blank_and_unlike_the_others()
    {
        foreach (var (glyph, bitmap) in SpanishGlyphs.Bitmaps)
        {
            Assert.True(bitmap.Length == 8, $"{glyph} has {bitmap.Length} rows");
            Assert.All(bitmap, line => Assert.InRange(line, 0, 0x1F));
            Assert.Equal(0, bitmap[7]);
            Assert.NotEqual(0, bitmap[0]);
        }
        var distinct = SpanishGlyphs.Bitmaps.Values.Select(Convert.ToHexString).Distinct().Count();
        Assert.Equal(SpanishGlyphs.Bitmaps.Count, distinct);
    }

    private CharacterLcd Open(IHardwareDelay? delay = null) =>
        new(_chip, new LcdOptions(), delay ?? new FakeClockDelay(_time));

    private byte[] Ddram(int address, int length) => [.. Enumerable.Range(address, length).Select(_chip.DdramAt)];

    private static string Encoding(byte[] codes) => new([.. codes.Select(code => (char)code)]);
}
