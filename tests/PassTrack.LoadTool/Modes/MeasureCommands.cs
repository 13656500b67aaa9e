using PassTrack.LoadTool.Cli;
using PassTrack.LoadTool.Targets;
using PassTrack.LoadTool.Traffic;

namespace PassTrack.LoadTool.Modes;

/// <summary>The measuring commands: <c>run</c>, <c>saturate</c> and <c>baseline</c>.</summary>
public static class MeasureCommands
{
    public static async Task<int> RunAsync(Args args, CancellationToken cancellationToken)
    {
        var settings = Settings(args, args.Number("rate", 200), Timing.Load);
        RunResult? baseline = null;
        if (args.Flag("baseline"))
        {
            baseline = await MeasureAsync(args, "baseline", settings, cancellationToken);
        }
        var result = await MeasureAsync(args, args.Text("target") ?? "edge", settings, cancellationToken);
        if (baseline is not null)
        {
            Console.WriteLine(Report.Summary(baseline));
            Console.WriteLine(Report.Summary(result));
        }
        return result.Replies > 0 ? 0 : 1;
    }

    public static async Task<int> SaturateAsync(Args args, CancellationToken cancellationToken)
    {
        var settings = Settings(args, null, Timing.Saturate);
        var target = args.Text("target") ?? "edge";
        RunResult? baseline = null;
        if (target == "edge" && !args.Flag("no-baseline"))
        {
            baseline = await MeasureAsync(args, "baseline", settings, cancellationToken);
        }
        var result = await MeasureAsync(args, target, settings, cancellationToken);
        if (baseline is not null)
        {
            Console.WriteLine(Report.Summary(baseline));
            Console.WriteLine(Report.Summary(result));
            Report.Compare(result, baseline);
        }
        return result.Replies > 0 ? 0 : 1;
    }

    public static async Task<int> BaselineAsync(Args args, CancellationToken cancellationToken)
    {
        var rate = args.Text("rate") is null ? (double?)null : args.Number("rate", 200);
        var settings = Settings(args, rate, rate is null ? Timing.Saturate : Timing.Load);
        var result = await MeasureAsync(args, "baseline", settings, cancellationToken);
        return result.Replies > 0 ? 0 : 1;
    }

    private static RunSettings Settings(Args args, double? rate, Timing timing) =>
        new(args.Whole("kiosks", 1000), rate, args.Duration("duration", TimeSpan.FromSeconds(60)), args.Duration("warmup", TimeSpan.FromSeconds(10)), TimingFrom(args, timing))
        {
            Timeout = args.Duration("timeout", TimeSpan.FromSeconds(10)),
            Heartbeat = args.Duration("heartbeat", TimeSpan.FromSeconds(60)),
            ReportEvery = args.Duration("report-every", TimeSpan.FromSeconds(10)),
            DemoSize = args.Text("demo-size") ?? "Large",
            KioskPrefix = args.Text("kiosk-prefix") ?? "load",
            Seed = args.Whole("seed", 7),
        };

    public static Timing TimingFrom(Args args, Timing defaults)
    {
        Span Read(string name, Span fallback)
        {
            var (min, max) = args.Range(name, (fallback.Min, fallback.Max));
            return new Span(min, max);
        }
        return defaults with { Think = Read("think", defaults.Think), Away = Read("away", defaults.Away), Check = Read("check", defaults.Check) };
    }

    private static async Task<RunResult> MeasureAsync(Args args, string target, RunSettings settings, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory($"passtrack-load-{target}-").FullName;
        try
        {
            await using ILoadTarget server = target switch
            {
                "edge" => new EdgeTarget(EdgeTarget.Options.From(args, folder, settings)),
                "baseline" => new BaselineTarget(folder, args.Text("baseline-delivery") ?? "session"),
                _ => throw new UsageException($"--target: '{target}' is not edge or baseline."),
            };
            var result = await LoadRun.RunAsync(server, settings, cancellationToken);
            Report.Print(result);
            return result;
        }
        finally
        {
            if (args.Flag("keep"))
            {
                Console.WriteLine($"Kept {folder}");
            }
            else
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
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
}
