using System.Diagnostics;
using System.Runtime.InteropServices;
using PassTrack.Contracts.Passes;
using PassTrack.Contracts.Protocol;
using PassTrack.LoadTool.Cli;
using PassTrack.LoadTool.Kiosks;
using PassTrack.LoadTool.Targets;
using PassTrack.LoadTool.Traffic;

namespace PassTrack.LoadTool.Modes;

/// <summary>
/// <c>demo</c>: gentle, realistic traffic against an edge that is already running: a dozen kiosks enrol with the
/// district token, are approved and bound over the API, and students tap, choose, go and come back at a few taps a
/// second, each decision printed as it comes. Runs until Ctrl+C (or SIGTERM, or <c>--duration</c>).
/// </summary>
public static class DemoCommand
{
    public static async Task<int> RunAsync(Args args, CancellationToken cancellationToken)
    {
        var broker = MqttEndpoint.Parse(args.Required("mqtt"));
        using var api = new EdgeApi(new Uri(args.Required("api")), args.Required("api-key"));
        var token = args.Required("token");
        var count = args.Whole("kiosks", 12);
        var rate = args.Number("rate", 2);
        var duration = args.Duration("duration", Timeout.InfiniteTimeSpan);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });

        // The edge is already up (demo.sh waits for it to say so): one check that it is the healthy edge we were given.
        await api.CheckHealthyAsync(stop.Token);
        if (args.Flag("any-time"))
        {
            Console.WriteLine(await api.AllowPassesAnyTimeAsync(stop.Token)
                ? "Policy: passes allowed outside class time (--any-time)."
                : "Warning: the API refused to allow passes outside class time.");
        }
        var school = await EdgeSchool.ReadAsync(api, stop.Token) ?? School.Demo(args.Text("demo-size") ?? "Typical");
        var rooms = school.KioskRooms(count);
        var stateFile = args.Text("state") ?? DemoKiosks.DefaultStateFile(broker);
        var kiosks = DemoKiosks.Load(stateFile, args.Text("kiosk-prefix") ?? "demo", rooms);
        Console.WriteLine($"{school.Name}: {school.Students.Count} students. {kiosks.Count} kiosks ({kiosks[0].Id}...), secrets kept in {stateFile}");
        try
        {
            await Enrolment.EnrolAndApproveAsync(kiosks, broker, token, api, stop.Token);
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("BadUserNameOrPassword", StringComparison.Ordinal) || ex.Message.Contains("wrong secret", StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException($"{ex.Message}\nThe edge knows these kiosk ids with other secrets: pass --kiosk-prefix NAME or delete {stateFile}.");
        }
        await Parallel.ForEachAsync(kiosks, stop.Token, async (k, ct) => await k.PublishOnlineAsync(TimeProvider.System.GetUtcNow(), ct));

        var model = new TrafficModel(school, rooms, MeasureCommands.TimingFrom(args, Timing.Demo), Environment.TickCount, perKiosk: false);
        var session = new LoadSession(kiosks, model, TimeSpan.FromSeconds(10), PrintDecision, stop.Token);
        Console.WriteLine($"Simulating {rate:0.#} taps a second at {kiosks.Count} kiosks; Ctrl+C to stop.");
        var sweeper = session.SweepTimeoutsAsync(stop.Token);
        var heartbeats = session.HeartbeatsAsync(TimeSpan.FromSeconds(60), stop.Token);
        var summary = SummaryAsync(session, stop.Token);
        await Drivers.OpenLoopAsync(session, rate, duration == Timeout.InfiniteTimeSpan ? TimeSpan.FromDays(365) : duration, stop.Token);
        await stop.CancelAsync();
        await Task.WhenAll(sweeper, heartbeats, summary);
        await Fleet.DisconnectAsync(kiosks);
        var p = session.Latency.Total();
        Console.WriteLine($"Demo traffic stopped: {session.Counters.Replies:N0} decisions, p50 {p.P50:0.0} ms, p99 {p.P99:0.0} ms, {session.Counters.Errors} errors.");
        return 0;
    }

    private static int _closedHours;

    private static void PrintDecision(SimKiosk kiosk, Request request, DecisionReply? reply)
    {
        if (request.Context is not Visit visit)
        {
            return;
        }
        var what = visit.Purpose switch
        {
            Purpose.Choose when visit.LeaveLine => "leaves the line",
            Purpose.Choose => $"chooses {visit.Destination?.Name}",
            Purpose.Arrive => "taps in on arrival",
            Purpose.Return => "taps back in",
            Purpose.Check => "checks the line",
            _ => "taps",
        };
        var answer = reply is null ? "(unreadable reply)"
            : reply.Error is { } error ? $"error: {error}"
            : $"{reply.Outcome} ({reply.Reason}){(reply.QueuePosition is { } q ? $", #{q} in line" : "")}{(reply.Until is { } until ? $", until {until.ToLocalTime():HH:mm}" : "")}";
        if (reply?.Reason is ReasonCode.OutsideClassTime or ReasonCode.NoSchoolToday && Interlocked.Increment(ref _closedHours) == 5)
        {
            Console.WriteLine("   (It is outside class time on the edge's clock, so every pass is refused: run the demo with --any-time to let passes through.)");
        }
        var ms = Stopwatch.GetElapsedTime(request.SentTicks).TotalMilliseconds;
        Console.WriteLine($"{TimeProvider.System.GetLocalNow():HH:mm:ss} {kiosk.Id} {kiosk.RoomId,-7} {visit.Student.FirstName + " (" + visit.Student.Id + ")",-18} {what,-30} -> {answer}  [{ms:0.0} ms]");
    }

    private static async Task SummaryAsync(LoadSession session, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var p = session.Latency.TakeInterval();
                var (students, waiting, _, _) = session.Model.Snapshot();
                Console.WriteLine($"-- last minute: {p.Count} decisions, p50 {p.P50:0.0} ms, p99 {p.P99:0.0} ms; {students} students out, {waiting} waiting; {session.Counters.Errors} errors so far");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
