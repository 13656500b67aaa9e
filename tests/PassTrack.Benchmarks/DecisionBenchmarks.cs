using BenchmarkDotNet.Attributes;
using PassTrack.Rules.Configuration;
using PassTrack.Rules.Demo;

namespace PassTrack.Benchmarks;

/// <summary>
/// Decisions per second on one thread, the way the edge's single writer makes them: each decision applied to the
/// building, its events taken for commit in batches of 64. "AndRender" also renders the kiosk's text.
/// </summary>
[MemoryDiagnoser]
public class DecisionBenchmarks
{
    public const int Decisions = 20_000;

    private static readonly BuildingConfiguration Configuration = DemoSchool.Create(DemoSchoolSize.Large);
    private BusyBuilding _building = null!;

    // A fresh busy building each iteration keeps daily counts and lines from drifting away from mid-period.
    [IterationSetup]
    public void Fill() => _building = new BusyBuilding(Configuration);

    [Benchmark(OperationsPerInvoke = Decisions)]
    public int Decide()
    {
        var granted = 0;
        for (var i = 0; i < Decisions; i++)
        {
            var decision = _building.Next();
            granted += decision.IsGranted ? 1 : 0;
            if ((i & 63) == 63)
            {
                _building.Building.TakeEvents();
            }
        }
        return granted;
    }

    [Benchmark(OperationsPerInvoke = Decisions)]
    public int DecideAndRender()
    {
        var lines = 0;
        for (var i = 0; i < Decisions; i++)
        {
            var decision = _building.Next();
            lines += decision.MessageIn(decision.Language).Count;
            if ((i & 63) == 63)
            {
                _building.Building.TakeEvents();
            }
        }
        return lines;
    }
}
