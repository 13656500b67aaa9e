using PassTrack.LoadTool.Stats;
using PassTrack.LoadTool.Traffic;

namespace PassTrack.LoadTool.Modes;

/// <summary>One measured run: how many kiosks, how requests are paced (a rate, or closed loop when null), for how long.</summary>
public sealed record RunSettings(int Kiosks, double? Rate, TimeSpan Duration, TimeSpan Warmup, Timing Timing)
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan ReportEvery { get; init; } = TimeSpan.FromSeconds(10);

    public string DemoSize { get; init; } = "Large";

    public string KioskPrefix { get; init; } = "load";

    public int Seed { get; init; } = 7;

    public string Pacing => Rate is { } r ? $"open loop at {r:0.#} scans/s" : "closed loop";
}

/// <summary>What one run measured, over the measured window (after warm-up).</summary>
public sealed record RunResult(string Target, RunSettings Settings, double Seconds, long Sent, long Replies, Percentiles Latency, long Errors, long Timeouts, long Idle)
{
    public double RepliesPerSecond => Seconds > 0 ? Replies / Seconds : 0;

    public double SentPerSecond => Seconds > 0 ? Sent / Seconds : 0;

    /// <summary>Latency counted from when each request was due rather than sent (adds the tool's own lag).</summary>
    public Percentiles FromDue { get; init; }

    public MemorySummary? ServerMemory { get; init; }

    public double ServerCpuPercent { get; init; }

    public double ToolCpuPercent { get; init; }

    public double ToolRssMb { get; init; }

    public IReadOnlyList<KeyValuePair<string, long>> Outcomes { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, long>> ErrorKinds { get; init; } = [];

    public string? ServerNotes { get; init; }

    /// <summary>The machine's load averages around the window (other work competing for the two cores shows here).</summary>
    public string MachineLoad { get; init; } = "";
}

/// <summary>The server's resident memory over the measured window: first, last, highest, and the trend of the second half.</summary>
public sealed record MemorySummary(double StartMb, double EndMb, double MaxMb, double SecondHalfSlopeMbPerMinute)
{
    public static MemorySummary? Of(IReadOnlyList<ProcessSample> samples, TimeSpan from)
    {
        var window = samples.Where(s => s.At >= from && s.RssMb > 0).ToList();
        if (window.Count == 0)
        {
            return null;
        }
        var half = window.Skip(window.Count / 2).ToList();
        return new MemorySummary(window[0].RssMb, window[^1].RssMb, window.Max(s => s.RssMb), Slope(half));
    }

    private static double Slope(List<ProcessSample> points)
    {
        if (points.Count < 3)
        {
            return 0;
        }
        var xs = points.Select(p => p.At.TotalMinutes).ToList();
        var mx = xs.Average();
        var my = points.Average(p => p.RssMb);
        var sxx = xs.Sum(x => (x - mx) * (x - mx));
        return sxx == 0 ? 0 : points.Select((p, i) => (xs[i] - mx) * (p.RssMb - my)).Sum() / sxx;
    }
}
