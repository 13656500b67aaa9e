namespace PassTrack.Rules.Configuration;

/// <summary>A period of the school day in the building's local time. A testing period has passes switched off.</summary>
public sealed record Period(string Name, TimeOnly Start, TimeOnly End, bool PassesAllowed = true);

/// <summary>
/// The periods of one day type (regular, half day, delayed start, testing day...). No passes start in the first
/// <see cref="StartBuffer"/> or the last <see cref="EndBuffer"/> of a period.
/// </summary>
public sealed record BellSchedule(string DayType, IReadOnlyList<Period> Periods)
{
    public TimeSpan StartBuffer { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan EndBuffer { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// Which day type applies on a date: the weekday's usual one unless an override says otherwise.
/// An override of null, or a weekday with no day type, is a day without school.
/// </summary>
public sealed record SchoolCalendar(
    IReadOnlyDictionary<DayOfWeek, string> Weekdays,
    IReadOnlyDictionary<DateOnly, string?> Overrides)
{
    public static SchoolCalendar MondayToFriday(string dayType) => new(
        new Dictionary<DayOfWeek, string>
        {
            [DayOfWeek.Monday] = dayType,
            [DayOfWeek.Tuesday] = dayType,
            [DayOfWeek.Wednesday] = dayType,
            [DayOfWeek.Thursday] = dayType,
            [DayOfWeek.Friday] = dayType,
        },
        new Dictionary<DateOnly, string?>());

    public string? DayTypeOn(DateOnly date) =>
        Overrides.TryGetValue(date, out var special) ? special
        : Weekdays.TryGetValue(date.DayOfWeek, out var usual) ? usual
        : null;
}

public enum BlackoutKind
{
    /// <summary>A test is on: no passes.</summary>
    Testing,
    /// <summary>Staff switched passes off.</summary>
    Disabled,
}

/// <summary>Passes off on a date, for one period or all day, for one room or the whole building.</summary>
public sealed record PassBlackout(string Id, DateOnly Date, string? Period, RoomId? Room, BlackoutKind Kind);
