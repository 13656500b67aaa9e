using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using PassTrack.Contracts.Passes;
using PassTrack.Contracts.Protocol;
using PassTrack.LoadTool.Cli;
using PassTrack.LoadTool.Kiosks;
using PassTrack.LoadTool.Stats;
using PassTrack.LoadTool.Targets;
using PassTrack.LoadTool.Traffic;

namespace PassTrack.LoadTool.Modes;

/// <summary>
/// Scan to browser: how long from a kiosk's request until the pass shows on the teacher's room board in a real
/// browser. The real dashboard and the real edge (demo school, linked to the district) run as child processes, one
/// simulated kiosk hangs in the room, and headless Chromium shows the room's board signed in as its teacher. One
/// pass at a time: a student of the room taps, chooses a destination (t0 is taken just before that request is
/// published), the edge grants it, and the board's observer notes when the card entered the page; then the student
/// taps back in and the card leaves the board before the next student.
/// </summary>
public static class ScanToBrowserCommand
{
    private const string BuildingId = "load-school";
    private const string TeacherUser = "board";

    public static async Task<int> RunAsync(Args args, CancellationToken cancel)
    {
        var passes = Math.Max(1, args.Whole("passes", 100));
        var warmup = args.Whole("warmup-passes", 5);
        var roomId = args.Text("room") ?? "A101";
        var destinationId = args.Text("destination") ?? "library";
        var timeout = args.Duration("timeout", TimeSpan.FromSeconds(10));
        var dll = DistrictDashboard.Dll(args.Text("dashboard-dll"));
        var settings = new RunSettings(1, null, TimeSpan.Zero, TimeSpan.Zero, Timing.Load) { DemoSize = args.Text("demo-size") ?? "Large" };
        var folder = Directory.CreateTempSubdirectory("passtrack-scan-to-browser-").FullName;
        try
        {
            await using var dashboard = new DistrictDashboard(dll, folder, development: true);
            var secret = await dashboard.RegisterBuildingAsync(BuildingId, "Load test school", cancel);
            var password = await dashboard.AddUserAsync(TeacherUser, "Teacher", BuildingId, roomId, "Ms Board", cancel);
            await dashboard.StartAsync(TimeSpan.FromSeconds(60), cancel);
            Console.WriteLine($"Dashboard (pid {dashboard.Pid}) up: site {dashboard.Site}, district broker 127.0.0.1:{dashboard.BrokerPort}, log {dashboard.LogPath}");

            var options = EdgeTarget.Options.From(args, folder, settings);
            var environment = new Dictionary<string, string>(options.ExtraEnvironment, StringComparer.Ordinal)
            {
                ["EDGE__BUILDINGID"] = BuildingId,
                ["EDGE__DISTRICT__HOST"] = "127.0.0.1",
                ["EDGE__DISTRICT__PORT"] = dashboard.BrokerPort.ToString(CultureInfo.InvariantCulture),
                ["EDGE__DISTRICT__SECRET"] = secret,
            };
            await using var edge = new EdgeTarget(options with { ExtraEnvironment = environment });
            await edge.StartAsync(cancel);
            // The demo school allows 3 passes a day (12 a week) per student: a run gives each student of the room more.
            if (!await edge.Api.UpdatePolicyAsync(p => { p["dailyLimit"] = 100; p["weeklyLimit"] = null; return true; }, cancel))
            {
                Console.WriteLine("  warning: could not raise the policy's daily limit; students may be refused after 3 passes");
            }
            var school = await edge.SchoolAsync(cancel) ?? School.Demo(settings.DemoSize);
            var students = school.Students.Where(s => s.Homeroom == roomId).ToList();
            var destination = school.Destinations.FirstOrDefault(d => d.Id == destinationId);
            if (students.Count == 0 || destination is null)
            {
                throw new UsageException(students.Count == 0 ? $"--room: no student has '{roomId}' as their homeroom." : $"--destination: '{destinationId}' is not an open destination of {school.Name}.");
            }

            var kiosks = Fleet.Create("board", [roomId]);
            try
            {
                await edge.PrepareAsync(kiosks, cancel);
                var kiosk = kiosks[0];
                Console.WriteLine($"Opening the board of {roomId} in Chromium as teacher '{TeacherUser}'...");
                await using var board = await RoomBoardBrowser.OpenAsync(dashboard.Site, TeacherUser, password, BuildingId, roomId, TimeSpan.FromSeconds(60));
                Console.WriteLine($"{warmup} warm-up + {passes} measured passes: {students.Count} students of {roomId} in turn, to {destination.Name}, one at a time");
                var loadBefore = LoadRun.LoadAverage();
                var result = await MeasureAsync(new Measurement(kiosk, board, students, destination, warmup, passes, timeout, Path.Combine(folder, "board.png")), cancel);
                var loadAfter = LoadRun.LoadAverage();
                Print(result, passes, $"{loadBefore} at the start, {loadAfter} at the end", dashboard.Pid, edge.Pid ?? 0);
                return result.Browser.Count > 0 ? 0 : 1;
            }
            finally
            {
                await Fleet.DisconnectAsync(kiosks);
            }
        }
        finally
        {
            if (args.Flag("keep"))
            {
                Console.WriteLine($"Kept {folder}");
            }
            else
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                    // Left for the OS's temporary-file cleaning.
                }
            }
        }
    }

    private sealed record Measurement(SimKiosk Kiosk, RoomBoardBrowser Board, IReadOnlyList<SimStudent> Students, SimDestination Destination, int Warmup, int Passes, TimeSpan Timeout, string Screenshot);

    /// <summary>
    /// <see cref="FirstShown"/> and <see cref="ShownBefore"/> split <see cref="Browser"/>: the board writes an audit
    /// entry for a student it shows for the first time (in that circuit) before it renders, so the two differ.
    /// </summary>
    private sealed record Result(Percentiles Browser, Percentiles Reply, Percentiles FirstShown, Percentiles ShownBefore, int Missed, int NotGranted, IReadOnlyDictionary<string, int> Refusals);

    private static async Task<Result> MeasureAsync(Measurement m, CancellationToken cancel)
    {
        var run = Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.NextInt64()))[..8];
        var answers = new ConcurrentDictionary<string, TaskCompletionSource<(DecisionReply? Reply, long Ticks)>>(StringComparer.Ordinal);
        m.Kiosk.Replied = (_, request, reply, arrived) =>
        {
            if (answers.TryRemove(request.ScanId, out var answer))
            {
                answer.TrySetResult((reply, arrived - request.SentTicks));
            }
        };

        // Sends one step for the student at the room's kiosk and waits for the edge's decision; t0 is the wall clock
        // just before the request is published (what the browser's Date.now() is compared with).
        async Task<(DecisionReply Reply, string ScanId, DateTimeOffset T0, long Ticks)> StepAsync(Visit visit)
        {
            var request = Messages.Build(visit, m.Kiosk, run, Stopwatch.GetTimestamp(), TimeProvider.System.GetUtcNow());
            var answer = new TaskCompletionSource<(DecisionReply?, long)>(TaskCreationOptions.RunContinuationsAsynchronously);
            answers[request.ScanId] = answer;
            var t0 = TimeProvider.System.GetUtcNow();
            await m.Kiosk.SendAsync(request, cancel);
            try
            {
                var (reply, ticks) = await answer.Task.WaitAsync(m.Timeout, cancel);
                return reply is { Error: null }
                    ? (reply, request.ScanId, t0, ticks)
                    : throw new InvalidOperationException($"The edge refused {visit.Purpose} for {visit.Student.Id}: {reply?.Error ?? "unreadable reply"}");
            }
            catch (TimeoutException ex)
            {
                answers.TryRemove(request.ScanId, out _);
                throw new InvalidOperationException($"No reply to {visit.Purpose} for {visit.Student.Id} within {m.Timeout.TotalSeconds:0} s.", ex);
            }
        }

        var browser = new List<long>();
        var replies = new List<long>();
        var interval = new List<long>();
        var firstShown = new List<long>();
        var shownBefore = new List<long>();
        var shown = new HashSet<string>(StringComparer.Ordinal);
        var refusals = new Dictionary<string, int>(StringComparer.Ordinal);
        var rotation = new Queue<SimStudent>(m.Students);
        var missed = 0;
        var notGranted = 0;
        var done = 0;
        while (done < m.Warmup + m.Passes)
        {
            cancel.ThrowIfCancellationRequested();
            if (rotation.Count == 0)
            {
                throw new InvalidOperationException($"Every student of the room was refused: {string.Join(", ", refusals.Select(r => $"{r.Key} x{r.Value}"))}");
            }
            var student = rotation.Dequeue();
            var tap = await StepAsync(new Visit(student, Purpose.Ask, 0));
            if (tap.Reply.Outcome != Outcome.Identified)
            {
                // Refused at the tap (or out already, and this tap brought them back): leave them out of the rotation.
                Note(refusals, $"tap {tap.Reply.Outcome} {tap.Reply.Reason}");
                notGranted++;
                continue;
            }
            var choose = await StepAsync(new Visit(student, Purpose.Choose, 0) { ForScan = tap.ScanId, Destination = m.Destination });
            if (choose.Reply is not { Outcome: Outcome.Granted, PassId: { } passId })
            {
                Note(refusals, $"choose {choose.Reply.Outcome} {choose.Reply.Reason}");
                notGranted++;
                continue;
            }
            var seen = await m.Board.SeenAsync(passId, m.Timeout);
            var measured = done >= m.Warmup;
            if (seen is { } at)
            {
                if (done == 0)
                {
                    await m.Board.ScreenshotAsync(m.Screenshot);
                }
                var ms = at - choose.T0.ToUnixTimeMilliseconds();
                var ticks = ms * Stopwatch.Frequency / 1000;
                interval.Add(ticks);
                var first = shown.Add(student.Id);
                if (measured)
                {
                    browser.Add(ticks);
                    replies.Add(choose.Ticks);
                    (first ? firstShown : shownBefore).Add(ticks);
                }
            }
            else if (measured)
            {
                missed++;
                Console.WriteLine($"  pass {passId} ({student.Id}) not on the board within {m.Timeout.TotalSeconds:0} s");
            }
            // Back in: the card must leave the board before the next student, so each pass is measured alone.
            var back = await StepAsync(new Visit(student, Purpose.Return, 0));
            if (back.Reply.Outcome != Outcome.Returned)
            {
                Note(refusals, $"return {back.Reply.Outcome} {back.Reply.Reason}");
            }
            if (!await m.Board.GoneAsync(passId, m.Timeout))
            {
                Console.WriteLine($"  pass {passId} still on the board {m.Timeout.TotalSeconds:0} s after the return");
            }
            rotation.Enqueue(student);
            done++;
            if (done == m.Warmup && m.Warmup > 0)
            {
                var w = Percentiles.Of([.. interval]);
                Console.WriteLine($"  warm-up done ({m.Warmup} passes): scan to browser max {w.Max:0} ms; measuring now");
                interval.Clear();
            }
            else if (measured && (done - m.Warmup) % 10 == 0)
            {
                var p = Percentiles.Of([.. interval]);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{done - m.Warmup,4}/{m.Passes}] scan to browser p50 {p.P50,6:0} ms  max {p.Max,6:0} ms (last {p.Count}) | missed {missed} | not granted {notGranted}"));
                interval.Clear();
            }
        }
        return new Result(Percentiles.Of([.. browser]), Percentiles.Of([.. replies]), Percentiles.Of([.. firstShown]), Percentiles.Of([.. shownBefore]), missed, notGranted, refusals);
    }

    private static void Note(Dictionary<string, int> counts, string what) => counts[what] = counts.GetValueOrDefault(what) + 1;

    private static void Print(Result r, int passes, string load, int dashboardPid, int edgePid)
    {
        var b = r.Browser;
        var k = r.Reply;
        Console.WriteLine();
        Console.WriteLine($"-- scan to browser: {b.Count} of {passes} passes seen on the board, {r.Missed} missed, {r.NotGranted} requests not granted");
        Console.WriteLine($"   choose request to card on the board (ms): p50 {b.P50:0}  p90 {b.P90:0}  p99 {b.P99:0}  max {b.Max:0}  mean {b.Mean:0}   (target p99 <= 1000 ms: {(b.Count > 0 && b.P99 <= 1000 && r.Missed == 0 ? "met" : "NOT met")})");
        Console.WriteLine($"   students on the board for the first time: p50 {r.FirstShown.P50:0}  p99 {r.FirstShown.P99:0}  max {r.FirstShown.Max:0} ({r.FirstShown.Count}); shown before: p50 {r.ShownBefore.P50:0}  p99 {r.ShownBefore.P99:0}  max {r.ShownBefore.Max:0} ({r.ShownBefore.Count})");
        Console.WriteLine($"   the kiosk's own request to decision (ms): p50 {k.P50:0.00}  p90 {k.P90:0.00}  p99 {k.P99:0.00}  max {k.Max:0.00}");
        Console.WriteLine($"   dashboard RSS {ProcessProbe.RssMbOf(dashboardPid):0} MB, edge RSS {ProcessProbe.RssMbOf(edgePid):0} MB; machine load average (1/5/15 min) {load}");
        foreach (var (what, count) in r.Refusals)
        {
            Console.WriteLine($"   not as expected: {what} x{count}");
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SUMMARY scan-to-browser passes={b.Count} p50={b.P50:0}ms p90={b.P90:0}ms p99={b.P99:0}ms max={b.Max:0}ms reply-p50={k.P50:0.00}ms reply-p99={k.P99:0.00}ms missed={r.Missed} not-granted={r.NotGranted}"));
    }
}
