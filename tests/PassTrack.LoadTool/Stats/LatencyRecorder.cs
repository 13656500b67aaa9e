using System.Diagnostics;

namespace PassTrack.LoadTool.Stats;

/// <summary>
/// Every measured latency, kept whole (a long each: ten minutes at 5,000/s is 24 MB), so percentiles are exact.
/// Thread-safe. <see cref="TakeInterval"/> gives what arrived since the last call, for the periodic report.
/// </summary>
public sealed class LatencyRecorder
{
    private readonly Lock _lock = new();
    private readonly List<long> _all = new(1 << 16);
    private List<long> _interval = new(1 << 12);

    /// <summary>Requests due before this (warm-up) are left out of the totals, not of the intervals.</summary>
    public long RecordFrom { get; set; }

    public void Record(long startedTicks, long endedTicks)
    {
        var latency = endedTicks - startedTicks;
        lock (_lock)
        {
            _interval.Add(latency);
            if (startedTicks >= RecordFrom)
            {
                _all.Add(latency);
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _all.Count;
            }
        }
    }

    public Percentiles Total()
    {
        long[] copy;
        lock (_lock)
        {
            copy = [.. _all];
        }
        return Percentiles.Of(copy);
    }

    public Percentiles TakeInterval()
    {
        long[] copy;
        lock (_lock)
        {
            copy = [.. _interval];
            _interval = new List<long>(Math.Max(1 << 12, copy.Length));
        }
        return Percentiles.Of(copy);
    }
}

/// <summary>Latency percentiles in milliseconds.</summary>
public readonly record struct Percentiles(int Count, double P50, double P90, double P99, double P999, double Max, double Mean)
{
    public static Percentiles Of(long[] ticks)
    {
        if (ticks.Length == 0)
        {
            return default;
        }
        Array.Sort(ticks);
        double Ms(long t) => t * 1000.0 / Stopwatch.Frequency;
        double At(double q) => Ms(ticks[Math.Min(ticks.Length - 1, (int)Math.Ceiling(q * ticks.Length) - 1)]);
        var sum = 0.0;
        foreach (var t in ticks)
        {
            sum += t;
        }
        return new Percentiles(ticks.Length, At(0.50), At(0.90), At(0.99), At(0.999), Ms(ticks[^1]), Ms((long)(sum / ticks.Length)));
    }
}
