using Microsoft.Extensions.Time.Testing;
using PassTrack.Kiosk.Hardware;
using PassTrack.Kiosk.Hardware.Simulated.Chips;
using PassTrack.Kiosk.Hardware.Sound;

namespace PassTrack.Kiosk.Tests.Hardware.Sound;

public sealed class PwmSounderTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly SimulatedPwmChannel _speaker;
    private readonly PwmSounder _sounder;

    public PwmSounderTests()
    {
        _speaker = new SimulatedPwmChannel(_time);
        _sounder = new PwmSounder(_speaker, _time);
    }

    public void Dispose() => _sounder.Dispose();

    public static TheoryData<Tone> AllTones => new(Enum.GetValues<Tone>());

    [Theory]
    [MemberData(nameof(AllTones))]
    public void Each_tone_sounds_its_notes_in_order_for_their_lengths(Tone tone)
    {
        var pattern = TonePatterns.For(tone);
        var cycle = TimeSpan.FromMilliseconds(pattern.Steps.Sum(s => s.DurationMs));

        _sounder.Play(tone);
        _time.Run(cycle);

        Assert.Equal(ExpectedNotes(pattern), _speaker.Heard());
    }

    [Theory]
    [InlineData(Tone.Tap)]
    [InlineData(Tone.KeyPress)]
    [InlineData(Tone.Granted)]
    [InlineData(Tone.Refused)]
    [InlineData(Tone.Queued)]
    [InlineData(Tone.Error)]
    public void A_one_shot_tone_ends_with_the_pwm_off(Tone tone)
    {
        _sounder.Play(tone);
        _time.Run(TimeSpan.FromSeconds(5));

        Assert.False(_speaker.Running);
        Assert.Equal(0, _speaker.DutyCycle);
        var last = _speaker.Heard()[^1];
        Assert.True(last.Start + last.Duration <= TimeSpan.FromSeconds(1), $"{tone} still sounded at {last.Start}");
    }

    [Fact]
    public void Tap_is_one_short_high_blip()
    {
        _sounder.Play(Tone.Tap);
        _time.Run(TimeSpan.FromSeconds(1));

        var note = Assert.Single(_speaker.Heard());
        Assert.True(note.Duration <= TimeSpan.FromMilliseconds(60));
        Assert.True(note.Frequency >= 2000);
    }

    [Fact]
    public void A_key_press_is_a_blip_shorter_than_a_tap()
    {
        _sounder.Play(Tone.KeyPress);
        _time.Run(TimeSpan.FromSeconds(1));

        var note = Assert.Single(_speaker.Heard());
        Assert.True(note.Duration < TimeSpan.FromMilliseconds(TonePatterns.For(Tone.Tap).Steps[0].DurationMs));
    }

    [Fact]
    public void Granted_rises_over_two_notes()
    {
        _sounder.Play(Tone.Granted);
        _time.Run(TimeSpan.FromSeconds(1));

        var notes = _speaker.Heard();
        Assert.Equal(2, notes.Count);
        Assert.True(notes[1].Frequency > notes[0].Frequency);
    }

    [Fact]
    public void Refused_is_one_low_long_buzz()
    {
        _sounder.Play(Tone.Refused);
        _time.Run(TimeSpan.FromSeconds(2));

        var note = Assert.Single(_speaker.Heard());
        Assert.True(note.Frequency <= 500, $"{note.Frequency} Hz is not low");
        Assert.True(note.Duration >= TimeSpan.FromMilliseconds(500), $"{note.Duration} is not long");
    }

    [Fact]
    public void Queued_is_two_equal_mid_notes()
    {
        _sounder.Play(Tone.Queued);
        _time.Run(TimeSpan.FromSeconds(1));

        var notes = _speaker.Heard();
        Assert.Equal(2, notes.Count);
        Assert.Equal(notes[0].Frequency, notes[1].Frequency);
        Assert.Equal(notes[0].Duration, notes[1].Duration);
        Assert.InRange(notes[0].Frequency, 700, 1600);
    }

    [Fact]
    public void Error_falls_where_granted_rises()
    {
        _sounder.Play(Tone.Error);
        _time.Run(TimeSpan.FromSeconds(1));

        var notes = _speaker.Heard();
        Assert.Equal(2, notes.Count);
        Assert.True(notes[1].Frequency < notes[0].Frequency);
    }

    [Fact]
    public void Every_tone_sounds_different_from_every_other()
    {
        var heard = new Dictionary<Tone, IReadOnlyList<HeardNote>>();
        foreach (var tone in Enum.GetValues<Tone>())
        {
            var time = new FakeTimeProvider();
            var speaker = new SimulatedPwmChannel(time);
            using var sounder = new PwmSounder(speaker, time);
            sounder.Play(tone);
            time.Run(TimeSpan.FromSeconds(4));
            heard[tone] = speaker.Heard();
        }

        foreach (var (first, firstNotes) in heard)
        {
            foreach (var (second, secondNotes) in heard.Where(h => h.Key > first))
            {
                Assert.False(firstNotes.SequenceEqual(secondNotes), $"{first} and {second} sound the same");
            }
        }
    }

    [Theory]
    [InlineData(Tone.Summons)]
    [InlineData(Tone.Lockdown)]
    public void An_alert_repeats_until_silenced(Tone tone)
    {
        var pattern = TonePatterns.For(tone);
        var cycle = TimeSpan.FromMilliseconds(pattern.Steps.Sum(s => s.DurationMs));
        var firstNote = pattern.Steps[0].Frequency;

        _sounder.Play(tone);
        _time.Run((cycle * 5) + TimeSpan.FromMilliseconds(10));
        var cycleStarts = _speaker.Heard().Count(n => n.Frequency == firstNote && n.Start.Ticks % cycle.Ticks == 0);
        _sounder.Silence();
        var heardWhenSilenced = _speaker.Heard().Count;
        _time.Run(TimeSpan.FromMinutes(1));

        Assert.Equal(6, cycleStarts);
        Assert.False(_speaker.Running);
        Assert.Equal(0, _speaker.DutyCycle);
        Assert.Equal(heardWhenSilenced, _speaker.Heard().Count);
    }

    [Fact]
    public void Play_returns_while_the_first_note_is_still_sounding()
    {
        _sounder.Play(Tone.Granted);

        Assert.True(_speaker.Audible);
        Assert.Equal(TonePatterns.For(Tone.Granted).Steps[0].Frequency, _speaker.Frequency);
        Assert.Equal(0, _time.GetUtcNow().Subtract(_time.Start).Ticks);
        _time.Run(TimeSpan.FromMilliseconds(130));
        Assert.Equal(TonePatterns.For(Tone.Granted).Steps[2].Frequency, _speaker.Frequency);
    }

    [Fact]
    public void A_new_tone_cuts_off_the_one_playing()
    {
        _sounder.Play(Tone.Lockdown);
        _time.Run(TimeSpan.FromMilliseconds(200));
        _sounder.Play(Tone.Granted);
        _time.Run(TimeSpan.FromSeconds(10));

        var afterSwitch = _speaker.Heard().Where(n => n.Start >= TimeSpan.FromMilliseconds(200)).ToList();
        var granted = ExpectedNotes(TonePatterns.For(Tone.Granted))
            .Select(n => n with { Start = n.Start + TimeSpan.FromMilliseconds(200) });
        Assert.Equal(granted, afterSwitch);
        Assert.False(_speaker.Running);
    }

    [Fact]
    public void Silence_stops_a_note_at_once_and_leaves_the_pwm_off()
    {
        _sounder.Play(Tone.Refused);
        _time.Run(TimeSpan.FromMilliseconds(100));
        _sounder.Silence();

        Assert.False(_speaker.Audible);
        Assert.False(_speaker.Running);
        Assert.Equal(TimeSpan.FromMilliseconds(100), Assert.Single(_speaker.Heard()).Duration);
    }

    [Fact]
    public void A_failing_pwm_does_not_throw_into_the_scan_loop()
    {
        _speaker.Broken = true;

        var play = Record.Exception(() => _sounder.Play(Tone.Granted));
        _time.Run(TimeSpan.FromSeconds(1));

        Assert.Null(play);
        Assert.Empty(_speaker.Heard());
    }

    [Fact]
    public void Disposing_the_sounder_silences_and_releases_the_channel()
    {
        _sounder.Play(Tone.Summons);
        _time.Run(TimeSpan.FromMilliseconds(100));
        _sounder.Dispose();
        _time.Run(TimeSpan.FromSeconds(5));

        Assert.True(_speaker.Disposed);
        Assert.False(_speaker.Running);
        Assert.Single(_speaker.Heard());
    }

    private static List<HeardNote> ExpectedNotes(TonePattern pattern)
    {
        var notes = new List<HeardNote>();
        var at = TimeSpan.Zero;
        foreach (var step in pattern.Steps)
        {
            if (!step.IsRest)
            {
                notes.Add(new HeardNote(at, step.Frequency, step.Duration));
            }

            at += step.Duration;
        }

        return notes;
    }
}
