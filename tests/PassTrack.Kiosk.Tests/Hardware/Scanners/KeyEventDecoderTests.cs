using PassTrack.Kiosk.Hardware.Scanners;

namespace PassTrack.Kiosk.Tests.Hardware.Scanners;

public sealed class KeyEventDecoderTests
{
    [Fact]
    public void A_typed_student_id_ends_at_enter()
    {
        Assert.Equal(["S123456"], Decode(new InputEvents().Type("S123456\n")));
    }

    [Fact]
    public void Shift_capitalises_and_gives_symbols_only_while_held()
    {
        var events = new InputEvents().Type("https://pass.example/q?id=AB12&t=x_y:{1}|\"~<>\n");

        Assert.Equal(["https://pass.example/q?id=AB12&t=x_y:{1}|\"~<>"], Decode(events));
    }

    [Fact]
    public void The_right_shift_works_like_the_left()
    {
        Assert.Equal(["Ab!"], Decode(new InputEvents().Type("Ab!\n", shiftKey: InputEvents.RightShift)));
    }

    [Fact]
    public void Releasing_one_shift_while_the_other_is_held_keeps_shift()
    {
        var events = new InputEvents()
            .Down(InputEvents.LeftShift).Down(InputEvents.RightShift).Up(InputEvents.LeftShift)
            .Tap(30).Up(InputEvents.RightShift).Tap(30).Tap(InputEvents.Enter);

        Assert.Equal(["Aa"], Decode(events));
    }

    [Fact]
    public void An_autorepeating_key_types_again_each_repeat()
    {
        var events = new InputEvents().Down(2).Repeat(2).Repeat(2).Up(2).Tap(InputEvents.Enter);

        Assert.Equal(["111"], Decode(events));
    }

    [Fact]
    public void Key_releases_alone_type_nothing()
    {
        var events = new InputEvents().Up(2).Up(30).Up(InputEvents.Enter).Tap(InputEvents.Enter);

        Assert.Empty(Decode(events));
    }

    [Fact]
    public void Empty_lines_are_skipped()
    {
        var events = new InputEvents().Type("\n\nA1\n\n");

        Assert.Equal(["A1"], Decode(events));
    }

    [Fact]
    public void The_keypad_types_digits_and_its_enter_ends_the_line()
    {
        var events = new InputEvents().Tap(79).Tap(80).Tap(81).Tap(82).Tap(83).Tap(74).Tap(InputEvents.KeypadEnter);

        Assert.Equal(["1230.-"], Decode(events));
    }

    [Fact]
    public void Caps_lock_turns_letters_upper_case_but_not_digits()
    {
        var events = new InputEvents().Tap(InputEvents.CapsLock).Type("ab1").Tap(InputEvents.CapsLock).Type("c\n");

        Assert.Equal(["AB1c"], Decode(events));
    }

    [Fact]
    public void A_line_longer_than_the_limit_is_dropped_with_the_reason_and_the_next_line_reads()
    {
        var events = new InputEvents().Type(new string('7', 129) + "\n" + new string('8', 128) + "\n");

        var lines = new List<ScanLine>();
        new KeyEventDecoder(maxLineLength: 128).Feed(events.ToArray(), lines);

        Assert.Equal(2, lines.Count);
        Assert.Contains("longer than 128", lines[0].DroppedBecause, StringComparison.Ordinal);
        Assert.Equal(new string('8', 128), lines[1].Text);
        Assert.Null(lines[1].DroppedBecause);
    }

    [Fact]
    public void Records_split_across_reads_anywhere_decode_the_same()
    {
        var bytes = new InputEvents().Type("Q1\nw2\n").ToArray();

        foreach (var chunk in new[] { 1, 5, 23, 25, 47, 100 })
        {
            var decoder = new KeyEventDecoder();
            var lines = new List<ScanLine>();
            for (var at = 0; at < bytes.Length; at += chunk)
            {
                decoder.Feed(bytes.AsSpan(at, Math.Min(chunk, bytes.Length - at)), lines);
            }

            Assert.Equal(["Q1", "w2"], lines.Select(l => l.Text));
        }
    }

    [Fact]
    public void The_32_bit_layout_decodes_with_an_8_byte_timeval()
    {
        var lines = new List<ScanLine>();
        new KeyEventDecoder(timevalSize: 8).Feed(new InputEvents(timevalSize: 8).Type("Z9\n").ToArray(), lines);

        Assert.Equal(["Z9"], lines.Select(l => l.Text));
    }

    private static List<string> Decode(InputEvents events)
    {
        var lines = new List<ScanLine>();
        new KeyEventDecoder().Feed(events.ToArray(), lines);
        Assert.All(lines, l => Assert.Null(l.DroppedBecause));
        return [.. lines.Select(l => l.Text)];
    }
}
