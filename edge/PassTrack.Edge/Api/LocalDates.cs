using PassTrack.Edge.Store;
using PassTrack.Rules.Configuration;

namespace PassTrack.Edge.Api;

/// <summary>Staff ask by school dates; the log stores instants. Dates are the building's local days, both ends included.</summary>
public static class LocalDates
{
    public static IQueryable<EventRow> Between(this IQueryable<EventRow> rows, DateOnly? from, DateOnly? to, string timeZoneId)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);
        if (from is { } first)
        {
            var start = SchoolDay.LocalInstant(first, TimeOnly.MinValue, zone).ToUnixTimeMilliseconds();
            rows = rows.Where(e => e.AtUnixMs >= start);
        }
        if (to is { } last)
        {
            var end = SchoolDay.LocalInstant(last.AddDays(1), TimeOnly.MinValue, zone).ToUnixTimeMilliseconds();
            rows = rows.Where(e => e.AtUnixMs < end);
        }
        return rows;
    }
}
