using System.Globalization;

namespace PassTrack.LoadTool.Modes;

/// <summary>Prints a run's results: a block for people, and one SUMMARY line the docs can quote.</summary>
public static class Report
{
    public static void Print(RunResult r)
    {
        var s = r.Settings;
        var p = r.Latency;
        Console.WriteLine();
        Console.WriteLine($"-- {r.Target}: {s.Kiosks} kiosks, {s.Pacing}, {r.Seconds:0} s measured after {s.Warmup.TotalSeconds:0} s warm-up");
        Console.WriteLine($"   sent {r.Sent:N0} ({r.SentPerSecond:N1}/s), replies {r.Replies:N0} ({r.RepliesPerSecond:N1}/s), errors {r.Errors:N0} (timeouts {r.Timeouts:N0}){(r.Idle > 0 ? $", {r.Idle:N0} slots with no free student" : "")}");
        Console.WriteLine($"   scan-to-decision latency (ms, publish to reply): p50 {p.P50:0.00}  p90 {p.P90:0.00}  p99 {p.P99:0.00}  p99.9 {p.P999:0.00}  max {p.Max:0.00}  mean {p.Mean:0.00}  ({p.Count:N0} replies)");
        var d = r.FromDue;
        Console.WriteLine($"   counted from when each was due (adds the tool's lag in sending): p50 {d.P50:0.00}  p90 {d.P90:0.00}  p99 {d.P99:0.00}  max {d.Max:0.00}");
        if (r.ServerMemory is { } m)
        {
            Console.WriteLine($"   {r.Target} process: RSS {m.StartMb:0} MB at start of window, {m.EndMb:0} MB at end, max {m.MaxMb:0} MB, trend over the second half {m.SecondHalfSlopeMbPerMinute:+0.0;-0.0} MB/min; CPU {r.ServerCpuPercent:0}% of one core");
        }
        Console.WriteLine($"   load tool: RSS {r.ToolRssMb:0} MB, CPU {r.ToolCpuPercent:0}% of one core; machine load average (1/5/15 min) {r.MachineLoad}");
        if (r.Outcomes.Count > 0)
        {
            var total = r.Outcomes.Sum(o => o.Value);
            Console.WriteLine("   decisions (whole run): " + string.Join(", ", r.Outcomes.Take(14).Select(o => $"{o.Key} {100.0 * o.Value / total:0.#}%")));
        }
        foreach (var (kind, count) in r.ErrorKinds.Take(8))
        {
            Console.WriteLine($"   error: {kind} x{count:N0}");
        }
        if (r.ServerNotes is { } notes)
        {
            Console.WriteLine(notes);
        }
        Console.WriteLine(Summary(r));
    }

    public static string Summary(RunResult r)
    {
        var p = r.Latency;
        var memory = r.ServerMemory is { } m ? string.Create(CultureInfo.InvariantCulture, $" rss={m.StartMb:0}->{m.EndMb:0}MB(max {m.MaxMb:0}, {m.SecondHalfSlopeMbPerMinute:+0.0;-0.0}MB/min) cpu={r.ServerCpuPercent:0}%") : "";
        var mode = r.Settings.Rate is { } rate ? string.Create(CultureInfo.InvariantCulture, $"rate={rate:0.#}/s") : "closed-loop";
        return string.Create(CultureInfo.InvariantCulture,
            $"SUMMARY {r.Target} kiosks={r.Settings.Kiosks} {mode} window={r.Seconds:0}s decisions/s={r.RepliesPerSecond:0.0} p50={p.P50:0.00}ms p90={p.P90:0.00}ms p99={p.P99:0.00}ms max={p.Max:0.0}ms due-p99={r.FromDue.P99:0.00}ms errors={r.Errors} timeouts={r.Timeouts}{memory}");
    }

    public static void Compare(RunResult edge, RunResult baseline)
    {
        var fraction = baseline.RepliesPerSecond > 0 ? edge.RepliesPerSecond / baseline.RepliesPerSecond : 0;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SUMMARY compare kiosks={edge.Settings.Kiosks} edge={edge.RepliesPerSecond:0.0}/s baseline={baseline.RepliesPerSecond:0.0}/s fraction={fraction:0.00} (target >= 0.80) edge-p99={edge.Latency.P99:0.00}ms baseline-p99={baseline.Latency.P99:0.00}ms"));
    }
}
