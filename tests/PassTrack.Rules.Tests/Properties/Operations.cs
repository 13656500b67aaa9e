using FsCheck;
using FsCheck.Fluent;

namespace PassTrack.Rules.Tests.Properties;

/// <summary>One thing that can happen in a building: a student, a staff member, an administrator or the clock.</summary>
public abstract record Op;

public sealed record Ask(int Student, int Destination, bool JoinQueue) : Op;

public sealed record TapCard(int Student, int Kiosk) : Op;

public sealed record StaffPass(int Student, int Destination, int Staff, bool Override, bool OverrideEncounter) : Op;

public sealed record StaffEnd(int Pick, int Staff) : Op;

public sealed record Withdraw(int Pick) : Op;

public sealed record Approve(int Pick, int Staff) : Op;

public sealed record Deny(int Pick, int Staff) : Op;

public sealed record ClaimFromScreen(int Pick, int Staff) : Op;

public sealed record Emergency(bool Lockdown) : Op;

public sealed record AllClear : Op;

public sealed record OpenOrClose(int Destination, bool Open) : Op;

public sealed record SetCapacity(int Destination, int Capacity) : Op;

public sealed record PauseGroup(int Group, bool Paused) : Op;

public sealed record SetRoomLimit(int Limit) : Op;

public sealed record SummonStudent(int Student, int Destination) : Op;

public sealed record Schedule(int Student, int Destination, int MinutesAhead) : Op;

public sealed record Tick(int Seconds) : Op;

/// <summary>A random school morning: a list of operations, printed in full when a property fails.</summary>
public sealed record Scenario(IReadOnlyList<Op> Ops)
{
    public override string ToString() => $"{Ops.Count} ops:\n  " + string.Join("\n  ", Ops);
}

public static class ScenarioArbitrary
{
    public static Arbitrary<Scenario> Scenario()
    {
        var any = Gen.Choose(0, 99);
        var flag = Gen.Elements(true, false);
        var op = Gen.Frequency(
            (30, from s in any from d in any from q in flag select (Op)new Ask(s, d, q)),
            (20, from s in any from k in any select (Op)new TapCard(s, k)),
            (6, from s in any from d in any from st in any from o in flag from e in flag select (Op)new StaffPass(s, d, st, o, e)),
            (5, from p in any from st in any select (Op)new StaffEnd(p, st)),
            (4, any.Select(p => (Op)new Withdraw(p))),
            (6, from p in any from st in any select (Op)new Approve(p, st)),
            (2, from p in any from st in any select (Op)new Deny(p, st)),
            (3, from p in any from st in any select (Op)new ClaimFromScreen(p, st)),
            (1, flag.Select(l => (Op)new Emergency(l))),
            (2, Gen.Constant((Op)new AllClear())),
            (3, from d in any from o in flag select (Op)new OpenOrClose(d, o)),
            (3, from d in any from c in Gen.Choose(0, 4) select (Op)new SetCapacity(d, c)),
            (2, from g in any from p in flag select (Op)new PauseGroup(g, p)),
            (1, Gen.Choose(0, 4).Select(l => (Op)new SetRoomLimit(l))),
            (2, from s in any from d in any select (Op)new SummonStudent(s, d)),
            (2, from s in any from d in any from m in Gen.Choose(0, 20) select (Op)new Schedule(s, d, m)),
            (18, Gen.Frequency((6, Gen.Choose(1, 90)), (3, Gen.Choose(60, 600)), (1, Gen.Choose(600, 3600))).Select(s => (Op)new Tick(s))));
        var scenario = Gen.Sized(size => Gen.ListOf(op, Math.Max(10, size * 2))).Select(ops => new Scenario(ops.ToList()));
        return Arb.From(scenario, Shrink);
    }

    /// <summary>Shrinks a failing scenario by dropping halves, then single operations.</summary>
    private static IEnumerable<Scenario> Shrink(Scenario s)
    {
        var ops = s.Ops;
        if (ops.Count > 1)
        {
            yield return new Scenario(ops.Take(ops.Count / 2).ToList());
            yield return new Scenario(ops.Skip(ops.Count / 2).ToList());
        }
        for (var i = 0; i < ops.Count; i++)
        {
            yield return new Scenario(ops.Where((_, j) => j != i).ToList());
        }
    }
}
