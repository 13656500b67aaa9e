namespace PassTrack.Kiosk.Hardware.Sound;

/// <summary>One step of a pattern: a note at <see cref="Frequency"/> Hz, or a rest when it is 0.</summary>
public readonly record struct ToneStep(int Frequency, int DurationMs)
{
    public bool IsRest => Frequency == 0;

    public TimeSpan Duration => TimeSpan.FromMilliseconds(DurationMs);
}

/// <summary>A tone's notes; a repeating pattern starts over until it is silenced or replaced.</summary>
public sealed record TonePattern(IReadOnlyList<ToneStep> Steps, bool Repeats = false);

/// <summary>
/// What each <see cref="Tone"/> sounds like. Piezos are loudest near their 2-4 kHz resonance, so the everyday tones sit
/// there; the refusal is deliberately low and buzzy so it cannot be mistaken for a success.
/// </summary>
public static class TonePatterns
{
    private static readonly TonePattern TapPattern = new([new(2700, 40)]);

    private static readonly TonePattern KeyPressPattern = new([new(2000, 20)]);

    private static readonly TonePattern GrantedPattern = new([new(1319, 100), new(0, 30), new(1760, 180)]);

    private static readonly TonePattern RefusedPattern = new([new(300, 700)]);

    private static readonly TonePattern QueuedPattern = new([new(1047, 120), new(0, 80), new(1047, 120)]);

    private static readonly TonePattern ErrorPattern = new([new(880, 150), new(0, 50), new(440, 350)]);

    private static readonly TonePattern SummonsPattern = new(
        [new(1568, 150), new(0, 50), new(1568, 150), new(0, 50), new(2093, 300), new(0, 1300)],
        Repeats: true);

    private static readonly TonePattern LockdownPattern = new([new(2400, 150), new(1600, 150)], Repeats: true);

    public static TonePattern For(Tone tone) => tone switch
    {
        Tone.Tap => TapPattern,
        Tone.KeyPress => KeyPressPattern,
        Tone.Granted => GrantedPattern,
        Tone.Refused => RefusedPattern,
        Tone.Queued => QueuedPattern,
        Tone.Summons => SummonsPattern,
        Tone.Lockdown => LockdownPattern,
        Tone.Error => ErrorPattern,
        _ => throw new ArgumentOutOfRangeException(nameof(tone), tone, "No pattern for this tone."),
    };
}
