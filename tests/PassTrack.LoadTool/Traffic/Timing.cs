namespace PassTrack.LoadTool.Traffic;

/// <summary>A range of seconds a student takes for something; a random value inside it is drawn each time.</summary>
public readonly record struct Span(double Min, double Max)
{
    public double Draw(Random random) => Min + (random.NextDouble() * (Max - Min));

    public override string ToString() => Min == Max ? $"{Min:0.#} s" : $"{Min:0.#}-{Max:0.#} s";
}

/// <summary>
/// How long students take between the steps of a pass. Real passes last minutes; a load run compresses them so that
/// a few minutes of traffic see many whole passes (tap, choose, arrive, return), while keeping the order and the mix.
/// </summary>
public sealed record Timing(Span Think, Span Away, Span Check, double JoinLine)
{
    /// <summary>A load run: seconds to choose, under two minutes away, checking the line every half minute.</summary>
    public static readonly Timing Load = new(new Span(1, 4), new Span(20, 90), new Span(15, 45), 0.8);

    /// <summary>Saturation: no one waits; the next step is sent as soon as it may be.</summary>
    public static readonly Timing Saturate = new(new Span(0, 0), new Span(0, 0.2), new Span(0, 0.2), 0.8);

    /// <summary>The demo: close to a real school (away for minutes).</summary>
    public static readonly Timing Demo = new(new Span(2, 6), new Span(120, 480), new Span(20, 50), 0.8);
}
