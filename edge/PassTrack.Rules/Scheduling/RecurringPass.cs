namespace PassTrack.Rules.Scheduling;

/// <summary>
/// A pass that starts on its own on school days, e.g. a daily medication visit at 10:30.
/// <paramref name="Days"/> empty means every school day.
/// </summary>
public sealed record RecurringPass(
    RecurringPassId Id,
    StudentId Student,
    RoomId Origin,
    DestinationId Destination,
    TimeOnly LocalTime,
    IReadOnlyList<DayOfWeek> Days,
    DateOnly From,
    DateOnly? Until = null,
    string? Comment = null)
{
    public bool OccursOn(DateOnly date) =>
        date >= From && (Until is null || date <= Until) && (Days.Count == 0 || Days.Contains(date.DayOfWeek));
}

public sealed record RecurringPassSaved(RecurringPass Recurring, Actor Actor) : BuildingEvent;

public sealed record RecurringPassRemoved(RecurringPassId Recurring, Actor Actor) : BuildingEvent;
