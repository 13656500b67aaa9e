namespace PassTrack.Rules.Scheduling;

/// <summary>A one-off pass staff arrange ahead of time; it starts on its own at <paramref name="StartAt"/>.</summary>
public sealed record SchedulePass(
    StudentId Student,
    RoomId Origin,
    DestinationId Destination,
    DateTimeOffset StartAt,
    DateTimeOffset At,
    Actor Actor,
    string? Comment = null) : BuildingCommand(At, Actor);

public sealed record SaveRecurringPass(RecurringPass Recurring, DateTimeOffset At, Actor Actor) : BuildingCommand(At, Actor);

public sealed record RemoveRecurringPass(RecurringPassId Recurring, DateTimeOffset At, Actor Actor) : BuildingCommand(At, Actor);
