using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using PassTrack.Benchmarks;
using PassTrack.Rules.Demo;

// "--mix" prints what the measured decisions are made of, so the figure can be read for what it is.
if (args.Contains("--mix"))
{
    var building = new BusyBuilding(DemoSchool.Create(DemoSchoolSize.Large));
    var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
    var timer = Stopwatch.StartNew();
    for (var i = 0; i < DecisionBenchmarks.Decisions; i++)
    {
        var d = building.Next();
        var key = $"{d.Outcome} {d.Reason}";
        outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
        if ((i & 63) == 63)
        {
            building.Building.TakeEvents();
        }
    }
    timer.Stop();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{DecisionBenchmarks.Decisions:N0} decisions in {timer.Elapsed.TotalMilliseconds:F0} ms (one thread, includes warm-up); out now: {building.Building.InHalls}"));
    foreach (var (key, count) in outcomes.OrderByDescending(o => o.Value))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count,8}  {key}"));
    }
    return;
}

// "--kiosk-feedback" measures a kiosk's card-to-beep time through its real drivers and flow (docs/performance.md).
if (args.Contains("--kiosk-feedback"))
{
    KioskFeedback.Run(samples: 500);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(DecisionBenchmarks).Assembly).Run(args);
