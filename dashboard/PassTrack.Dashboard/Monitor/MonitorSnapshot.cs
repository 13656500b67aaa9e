using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using PassTrack.Contracts.Passes;
using PassTrack.Dashboard.Federation;
using PassTrack.Rules;

namespace PassTrack.Dashboard.Monitor;

/// <summary>A pass out past its time, with what the office needs to find the student.</summary>
public sealed record OverdueView(string BuildingId, string Building, string StudentId, string Student, int Grade, string From, string To, DateTimeOffset Since, string? Plan);

/// <summary>Passes to a destination today.</summary>
public sealed record DestinationUse(string Destination, int Passes);

/// <summary>Passes started on one local day.</summary>
public sealed record DayCount(DateOnly Day, string Label, int Passes);

/// <summary>
/// A building's day as the monitor shows it, read from the replica under its lock: passes started today, out now,
/// those overdue with the student's details, how many of today's ended passes ended with the student coming back on
/// their own, and where the passes went.
/// </summary>
public sealed record MonitorSnapshot(
    string BuildingId,
    string Name,
    int PassesToday,
    int OutNow,
    int EndedToday,
    int ReturnedToday,
    IReadOnlyList<OverdueView> Overdue,
    IReadOnlyList<DestinationUse> Destinations)
{
    /// <summary>Returned by the student of all ended today, in per cent; null before any has ended.</summary>
    public double? CompletionRate => EndedToday == 0 ? null : 100.0 * ReturnedToday / EndedToday;

    public static MonitorSnapshot Read(Building building, string name, DateTimeOffset now)
    {
        var today = building.SchoolDayAt(now).Date;
        bool IsToday(DateTimeOffset? at) => at is { } t && DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(t, building.TimeZone).Date) == today;
        var started = building.OpenPasses.Concat(building.ClosedToday).Where(p => IsToday(p.StartedAt)).ToList();
        var ended = building.ClosedToday.Where(p => p.StartedAt is not null && IsToday(p.EndedAt)).ToList();
        var overdue = building.OpenPasses
            .Where(p => p.State == PassState.Active && (p.Overdue || p.DueBack < now))
            .Select(p =>
            {
                var student = building.FindStudent(p.Student);
                return new OverdueView(
                    building.BuildingId,
                    name,
                    p.Student.Value,
                    student is null ? p.Student.Value : $"{student.LastName}, {student.FirstName}",
                    student?.Grade ?? 0,
                    building.FindRoom(p.Origin)?.Name ?? p.Origin.Value,
                    building.FindDestination(p.Destination)?.Name ?? p.Destination.Value,
                    p.StartedAt ?? p.CreatedAt,
                    student?.Profile.Accommodations.Plan);
            })
            .OrderBy(o => o.Since)
            .ToList();
        var destinations = started
            .GroupBy(p => building.FindDestination(p.Destination)?.Name ?? p.Destination.Value)
            .Select(g => new DestinationUse(g.Key, g.Count()))
            .OrderByDescending(d => d.Passes).ThenBy(d => d.Destination, StringComparer.CurrentCulture)
            .ToList();
        return new MonitorSnapshot(
            building.BuildingId,
            name,
            started.Count,
            building.OpenPasses.Count(p => p.State == PassState.Active),
            ended.Count,
            ended.Count(p => p.EndCause == Rules.Passes.TransitionCause.Returned),
            overdue,
            destinations);
    }

    /// <summary>
    /// Passes started per local day over the last <paramref name="days"/> days (today included), for the given
    /// buildings, counted in the district's copy of their logs: every transition of a pass to Active.
    /// </summary>
    public static async Task<IReadOnlyList<DayCount>> TrendAsync(FederationDb db, IReadOnlyCollection<string> buildings, TimeZoneInfo zone, DateTimeOffset now, int days, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).Date);
        var first = today.AddDays(-(days - 1));
        var since = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), zone.GetUtcOffset(first.ToDateTime(TimeOnly.MinValue))).AddDays(-1).ToUnixTimeMilliseconds();
        var counts = new Dictionary<DateOnly, int>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        foreach (var building in buildings)
        {
            await using DbCommand command = connection.CreateCommand();
            // The (building, time) index finds the week; json_extract keeps only passes that started.
            command.CommandText = "SELECT AtUnixMs FROM Events WHERE BuildingId = $b AND AtUnixMs >= $since AND Type = 'PassTransitioned' AND json_extract(Json, '$.to') = 'Active'";
            AddParameter(command, "$b", building);
            AddParameter(command, "$since", since);
            await using var rows = await command.ExecuteReaderAsync(cancellationToken);
            while (await rows.ReadAsync(cancellationToken))
            {
                var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(rows.GetInt64(0)), zone).Date);
                if (day >= first)
                {
                    counts[day] = counts.GetValueOrDefault(day) + 1;
                }
            }
        }
        return [.. Enumerable.Range(0, days).Select(i => first.AddDays(i)).Select(d => new DayCount(d, d.ToString("ddd d", System.Globalization.CultureInfo.InvariantCulture), counts.GetValueOrDefault(d)))];
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
