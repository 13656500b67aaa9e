using System.Diagnostics;
using PassTrack.LoadTool.Kiosks;
using PassTrack.LoadTool.Stats;
using PassTrack.LoadTool.Targets;
using PassTrack.LoadTool.Traffic;

namespace PassTrack.LoadTool.Modes;

/// <summary>Starts a target, prepares the kiosks, drives the traffic, reports as it goes and measures the window after warm-up.</summary>
public static class LoadRun
{
    public static async Task<RunResult> RunAsync(ILoadTarget target, RunSettings settings, CancellationToken cancellationToken)
    {
        Console.WriteLine($"== {target.Name}: {settings.Kiosks} kiosks, {settings.Pacing}, {settings.Warmup.TotalSeconds:0} s warm-up + {settings.Duration.TotalSeconds:0} s measured");
        await target.StartAsync(cancellationToken);
        var school = await target.SchoolAsync(cancellationToken) ?? School.Demo(settings.DemoSize);
        var rooms = school.KioskRooms(settings.Kiosks);
        var kiosks = Fleet.Create(settings.KioskPrefix, rooms);
        Console.WriteLine($"  {school.Name}: {school.Students.Count} students, {school.Classrooms.Count} classrooms, {school.OtherRooms.Count} other rooms, {school.Destinations.Count} destinations; kiosks in {rooms.Distinct(StringComparer.Ordinal).Count()} rooms");
        try
        {
            await target.PrepareAsync(kiosks, cancellationToken);
            var model = new TrafficModel(school, rooms, settings.Timing, settings.Seed, perKiosk: settings.Rate is null);
            Console.WriteLine($"  {model.Students} students have a kiosk in their homeroom; timing: choose after {settings.Timing.Think}, away {settings.Timing.Away}, check the line every {settings.Timing.Check}");
            return await DriveAsync(target, settings, kiosks, model, cancellationToken);
        }
        finally
        {
            await Fleet.DisconnectAsync(kiosks);
        }
    }

    private static async Task<RunResult> DriveAsync(ILoadTarget target, RunSettings settings, IReadOnlyList<SimKiosk> kiosks, TrafficModel model, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var session = new LoadSession(kiosks, model, settings.Timeout, onDecision: null, stop.Token);
        var server = target.Pid is { } pid ? new ProcessProbe(pid, target.Name) : null;
        var tool = new ProcessProbe(Environment.ProcessId, "tool");
        var started = Stopwatch.GetTimestamp();
        var warmupEnd = started + (long)(settings.Warmup.TotalSeconds * Stopwatch.Frequency);
        session.Latency.RecordFrom = warmupEnd;
        session.FromDue.RecordFrom = warmupEnd;

        var sweeper = session.SweepTimeoutsAsync(stop.Token);
        var heartbeats = session.HeartbeatsAsync(settings.Heartbeat, stop.Token);
        var reporter = ReportAsync(session, settings, server, tool, stop.Token);
        var total = settings.Warmup + settings.Duration;
        var driver = settings.Rate is { } rate
            ? Drivers.OpenLoopAsync(session, rate, total, stop.Token)
            : Drivers.ClosedLoopAsync(session, total, stop.Token).ContinueWith(_ => 0L, TaskScheduler.Default);

        await Task.Delay(settings.Warmup, TimeProvider.System, stop.Token);
        var atWarmup = (session.Counters.Sent, session.Counters.Replies, session.Counters.Errors, session.Counters.Timeouts);
        server?.Mark();
        tool.Mark();
        var measuredFrom = Stopwatch.GetElapsedTime(started);
        var loadBefore = LoadAverage();
        await Task.Delay(settings.Duration, TimeProvider.System, stop.Token);
        var seconds = Stopwatch.GetElapsedTime(warmupEnd).TotalSeconds;
        var atEnd = (session.Counters.Sent, session.Counters.Replies, session.Counters.Errors, session.Counters.Timeouts);
        var serverCpu = server?.CpuPercentSinceMark() ?? 0;
        var toolCpu = tool.CpuPercentSinceMark();
        server?.Sample();
        var idle = await driver;

        // Let what is in flight come back (or time out) so every request of the window has its latency.
        try
        {
            await session.DrainedAsync().WaitAsync(settings.Timeout + TimeSpan.FromSeconds(2), cancellationToken);
        }
        catch (TimeoutException)
        {
            // The sweeper fails what is still out; the report counts those as timeouts.
        }
        await stop.CancelAsync();
        await Task.WhenAll(sweeper, heartbeats, reporter);

        return new RunResult(target.Name, settings, seconds, atEnd.Sent - atWarmup.Sent, atEnd.Replies - atWarmup.Replies, session.Latency.Total(),
            atEnd.Errors - atWarmup.Errors, atEnd.Timeouts - atWarmup.Timeouts, idle)
        {
            ServerMemory = server is null ? null : MemorySummary.Of(server.Samples, measuredFrom),
            ServerCpuPercent = serverCpu,
            ToolCpuPercent = toolCpu,
            ToolRssMb = ProcessProbe.RssMbOf(Environment.ProcessId),
            FromDue = session.FromDue.Total(),
            Outcomes = session.Counters.Outcomes,
            ErrorKinds = session.Counters.ErrorKinds,
            ServerNotes = await target.DescribeAsync(cancellationToken),
            MachineLoad = $"{loadBefore} at the start of the window, {LoadAverage()} at the end",
        };
    }

    /// <summary>The 1, 5 and 15 minute load averages: on a 2-core machine anything above 2 means something else competed for the CPU.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static async Task ReportAsync(LoadSession session, RunSettings settings, ProcessProbe? server, ProcessProbe tool, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var sampleEvery = TimeSpan.FromSeconds(Math.Min(5, settings.ReportEvery.TotalSeconds));
        using var timer = new PeriodicTimer(sampleEvery);
        var lastReport = started;
        long lastSent = 0;
        long lastReplies = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var serverSample = server?.Sample();
                var toolSample = tool.Sample();
                if (Stopwatch.GetElapsedTime(lastReport) < settings.ReportEvery - TimeSpan.FromMilliseconds(100))
                {
                    continue;
                }
                var seconds = Stopwatch.GetElapsedTime(lastReport).TotalSeconds;
                lastReport = Stopwatch.GetTimestamp();
                var (sent, replies) = (session.Counters.Sent, session.Counters.Replies);
                var p = session.Latency.TakeInterval();
                var (students, waiting, scheduled, idle) = session.Model.Snapshot();
                var serverText = serverSample is { } s ? $" | {server!.Name} {s.RssMb:0} MB {s.CpuPercent:0}% CPU" : "";
                Console.WriteLine(
                    $"  [{Stopwatch.GetElapsedTime(started).TotalSeconds,5:0}s] sent {(sent - lastSent) / seconds,7:0.0}/s replies {(replies - lastReplies) / seconds,7:0.0}/s" +
                    $" | p50 {p.P50,6:0.00} p99 {p.P99,7:0.00} max {p.Max,7:0.0} ms | in flight {session.InFlight,4} | students out {students,4} waiting {waiting,4} scheduled {scheduled,4} idle {idle,4} | errors {session.Counters.Errors} starved {session.Counters.StarvedCount}" +
                    $"{serverText} | tool {toolSample.RssMb:0} MB {toolSample.CpuPercent:0}% CPU");
                (lastSent, lastReplies) = (sent, replies);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
