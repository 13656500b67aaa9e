using System.Diagnostics;
using PassTrack.LoadTool.Baseline;
using PassTrack.LoadTool.Cli;

namespace PassTrack.LoadTool.Modes;

/// <summary><c>baseline-server --port P --data FILE</c>: runs the baseline broker until SIGTERM or Ctrl+C (started by the tool itself).</summary>
public static class BaselineServerMode
{
    public const string ReadyMarker = "BASELINE READY";

    public static async Task<int> RunAsync(Args args)
    {
        var port = args.Whole("port", 1883);
        var data = args.Text("data") ?? Path.Combine(Path.GetTempPath(), $"passtrack-baseline-{Environment.ProcessId}.db");
        var inject = string.Equals(args.Text("delivery"), "inject", StringComparison.OrdinalIgnoreCase);
        await using var server = await BaselineServer.StartAsync(port, data, inject);
        using var stop = new CancellationTokenSource();
        using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.WriteLine($"{ReadyMarker} on 127.0.0.1:{port}, store {data}, replies {(inject ? "injected" : "into the session")}");
        var watch = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        var last = (Rows: 0L, Batches: 0L, Spent: (Commit: TimeSpan.Zero, Reply: TimeSpan.Zero));
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                var now = (server.Store.Rows, server.Store.Batches, server.Store.Spent);
                var batches = Math.Max(1, now.Batches - last.Batches);
                Console.WriteLine($"[{watch.Elapsed.TotalSeconds,5:0}s] {(now.Rows - last.Rows) / 5.0:0}/s in {(now.Batches - last.Batches) / 5.0:0} commits/s, {(now.Rows - last.Rows) / (double)batches:0.0} per commit, commit {(now.Spent.Commit - last.Spent.Commit).TotalMilliseconds / batches:0.00} ms, replies {(now.Spent.Reply - last.Spent.Reply).TotalMilliseconds / batches:0.00} ms");
                last = now;
            }
        }
        catch (OperationCanceledException)
        {
        }
        Console.WriteLine($"Baseline stopping after {watch.Elapsed.TotalSeconds:0} s: {server.Store.Rows} messages in {server.Store.Batches} commits");
        return 0;
    }
}
