using PassTrack.Kiosk.Hardware;
using PassTrack.Kiosk.Hardware.CardReader;

namespace PassTrack.Kiosk.Tests.Hardware.CardReader;

public sealed class CardTapsTests
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void A_card_held_on_the_reader_is_one_tap()
    {
        using var bench = new ReaderBench();
        var taps = new CardTaps(bench.Time);
        bench.Place("0A1B2C3D");

        var seen = PollFor(bench, taps, TimeSpan.FromSeconds(10));

        Assert.Equal(["0A1B2C3D"], seen);
    }

    [Fact]
    public void The_same_card_after_it_was_taken_away_is_a_new_tap()
    {
        using var bench = new ReaderBench();
        var taps = new CardTaps(bench.Time);
        var card = bench.Place("0A1B2C3D");
        var first = PollFor(bench, taps, TimeSpan.FromSeconds(1));

        bench.Chip.Remove(card);
        var whileAway = PollFor(bench, taps, TimeSpan.FromSeconds(2));
        bench.Chip.Place(card);
        var again = PollFor(bench, taps, TimeSpan.FromSeconds(1));

        Assert.Equal(["0A1B2C3D"], first);
        Assert.Empty(whileAway);
        Assert.Equal(["0A1B2C3D"], again);
    }

    [Fact]
    public void The_same_card_lifted_for_less_than_the_gap_is_still_the_same_tap()
    {
        using var bench = new ReaderBench();
        var taps = new CardTaps(bench.Time, TimeSpan.FromSeconds(1.5));
        var card = bench.Place("0A1B2C3D");
        var first = PollFor(bench, taps, TimeSpan.FromSeconds(1));

        bench.Chip.Remove(card);
        PollFor(bench, taps, TimeSpan.FromSeconds(0.5));
        bench.Chip.Place(card);
        var again = PollFor(bench, taps, TimeSpan.FromSeconds(1));

        Assert.Equal(["0A1B2C3D"], first);
        Assert.Empty(again);
    }

    [Fact]
    public void A_different_card_is_a_new_tap_at_once()
    {
        using var bench = new ReaderBench();
        var taps = new CardTaps(bench.Time);
        var first = bench.Place("0A1B2C3D");
        Assert.Equal("0A1B2C3D", taps.Poll(bench.Reader)?.Hex);

        bench.Chip.Remove(first);
        bench.Place("04A1B2C3D4E5F6");

        Assert.Equal("04A1B2C3D4E5F6", taps.Poll(bench.Reader)?.Hex);
    }

    [Fact]
    public void Two_cards_held_together_are_two_taps_and_no_more_when_one_is_taken_away()
    {
        using var bench = new ReaderBench();
        var taps = new CardTaps(bench.Time);
        var a = bench.Place("86A083EE");
        var b = bench.Place("169A0A3B");

        var together = PollFor(bench, taps, TimeSpan.FromSeconds(5));
        bench.Chip.Remove(together[0] == a.UidHex ? a : b);
        var oneLeft = PollFor(bench, taps, TimeSpan.FromSeconds(3));

        Assert.Equal([b.UidHex, a.UidHex], together.Order(StringComparer.Ordinal));
        Assert.Empty(oneLeft);
    }

    [Fact]
    public void A_card_seen_only_now_and_then_within_the_gap_stays_one_tap()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var taps = new CardTaps(time, TimeSpan.FromSeconds(1.5));
        var card = new CardUid("0A1B2C3D");
        var tapCount = 0;

        foreach (var seen in new CardUid?[] { card, null, null, card, null, null, card, null })
        {
            tapCount += taps.Observe(seen) is null ? 0 : 1;
            time.Advance(TimeSpan.FromMilliseconds(400));
        }

        Assert.Equal(1, tapCount);
    }

    private static List<string> PollFor(ReaderBench bench, CardTaps taps, TimeSpan duration)
    {
        var taken = new List<string>();
        var until = bench.Time.GetUtcNow() + duration;
        while (bench.Time.GetUtcNow() < until)
        {
            if (taps.Poll(bench.Reader) is { } tap)
            {
                taken.Add(tap.Hex);
            }
            bench.Time.Advance(PollEvery);
        }
        return taken;
    }
}
