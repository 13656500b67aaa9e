namespace PassTrack.Rules.Summons;

/// <summary>Call students (listed, or a whole grade) to a destination.</summary>
public sealed record Summon(
    IReadOnlyList<StudentId> Students,
    SummonsTarget Target,
    SummonsPriority Priority,
    DateTimeOffset At,
    Actor Actor) : BuildingCommand(At, Actor)
{
    public int? Grade { get; init; }

    public string? Note { get; init; }
}

public sealed record CancelSummons(SummonsId Summons, DateTimeOffset At, Actor Actor) : BuildingCommand(At, Actor);
