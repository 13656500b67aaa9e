namespace PassTrack.Rules.Configuration;

/// <summary>One period of a school day, placed on the timeline.</summary>
public readonly record struct PeriodSpan(Period Period, DateTimeOffset Start, DateTimeOffset End);

/// <summary>
/// A local calendar date in the building's time zone with its bell schedule turned into instants. Built once a day
/// and reused, so a decision compares instants instead of converting time zones.
/// </summary>
public sealed class SchoolDay
{
    private SchoolDay(DateOnly date, DateTimeOffset start, DateTimeOffset end, BellSchedule? schedule, PeriodSpan[] periods)
    {
        Date = date;
        Start = start;
        End = end;
        Schedule = schedule;
        Periods = periods;
    }

    public DateOnly Date { get; }

    /// <summary>Local midnight as an instant.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>The next local midnight as an instant (23 or 25 hours later on a daylight-saving day).</summary>
    public DateTimeOffset End { get; }

    /// <summary>Null on a day without school.</summary>
    public BellSchedule? Schedule { get; }

    public IReadOnlyList<PeriodSpan> Periods { get; }

    public bool Contains(DateTimeOffset at) => at >= Start && at < End;

    /// <summary>The period running at <paramref name="at"/>, if any.</summary>
    public PeriodSpan? PeriodAt(DateTimeOffset at)
    {
        foreach (var span in (PeriodSpan[])Periods)
        {
            if (at >= span.Start && at < span.End)
            {
                return span;
            }
        }
        return null;
    }

    public static SchoolDay For(DateTimeOffset at, TimeZoneInfo zone, SchoolCalendar calendar, IReadOnlyDictionary<string, BellSchedule> schedules)
    {
        var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);
        return For(date, zone, calendar, schedules);
    }

    public static SchoolDay For(DateOnly date, TimeZoneInfo zone, SchoolCalendar calendar, IReadOnlyDictionary<string, BellSchedule> schedules)
    {
        var start = LocalInstant(date, TimeOnly.MinValue, zone);
        var end = LocalInstant(date.AddDays(1), TimeOnly.MinValue, zone);
        var dayType = calendar.DayTypeOn(date);
        if (dayType is null || !schedules.TryGetValue(dayType, out var schedule))
        {
            return new SchoolDay(date, start, end, null, []);
        }
        var periods = schedule.Periods
            .Select(p => new PeriodSpan(p, LocalInstant(date, p.Start, zone), LocalInstant(date, p.End, zone)))
            .OrderBy(p => p.Start)
            .ToArray();
        return new SchoolDay(date, start, end, schedule, periods);
    }

    /// <summary>
    /// The instant a local wall-clock time names. A time skipped by a spring-forward gap is read with the offset
    /// in force before the gap (02:30 becomes 03:30); a repeated time in the autumn takes its first occurrence.
    /// </summary>
    public static DateTimeOffset LocalInstant(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (zone.IsInvalidTime(local))
        {
            offset = zone.GetUtcOffset(local.AddHours(-6));
        }
        else if (zone.IsAmbiguousTime(local))
        {
            offset = zone.GetAmbiguousTimeOffsets(local).Max();
        }
        else
        {
            offset = zone.GetUtcOffset(local);
        }
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>The Monday that starts the school week containing <paramref name="date"/>.</summary>
    public static DateOnly WeekStart(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));
}
