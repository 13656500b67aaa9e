using Microsoft.AspNetCore.Http.HttpResults;
using PassTrack.Edge.Api;
using PassTrack.Edge.Passes;
using PassTrack.Edge.Security;
using PassTrack.Rules;
using PassTrack.Rules.Configuration;

namespace PassTrack.Edge.Configuration;

/// <summary>A period in the building's local time; <see cref="PassesAllowed"/> false is a testing period.</summary>
public sealed record PeriodDto(string Name, TimeOnly Start, TimeOnly End, bool PassesAllowed = true);

public sealed record BellScheduleDto(string DayType, IReadOnlyList<PeriodDto> Periods, TimeSpan StartBuffer, TimeSpan EndBuffer)
{
    public static BellScheduleDto Of(BellSchedule s) =>
        new(s.DayType, s.Periods.Select(p => new PeriodDto(p.Name, p.Start, p.End, p.PassesAllowed)).ToList(), s.StartBuffer, s.EndBuffer);

    public BellSchedule ToSchedule() =>
        new(DayType, Periods.Select(p => new Period(p.Name.Trim(), p.Start, p.End, p.PassesAllowed)).ToList()) { StartBuffer = StartBuffer, EndBuffer = EndBuffer };
}

/// <summary>A date whose day type differs from its weekday's; a null day type means no school.</summary>
public sealed record CalendarOverrideDto(DateOnly Date, string? DayType = null);

public sealed record CalendarDto(IReadOnlyDictionary<DayOfWeek, string> Weekdays, IReadOnlyList<CalendarOverrideDto> Overrides)
{
    public static CalendarDto Of(SchoolCalendar c) => new(
        c.Weekdays.ToDictionary(),
        c.Overrides.OrderBy(o => o.Key).Select(o => new CalendarOverrideDto(o.Key, o.Value)).ToList());

    public SchoolCalendar ToCalendar() => new(Weekdays.ToDictionary(), Overrides.ToDictionary(o => o.Date, o => o.DayType));
}

/// <summary>Passes off on a date, for one period or all day (no period), for one room or the whole building (no room).</summary>
public sealed record BlackoutDto(string Id, DateOnly Date, BlackoutKind Kind, string? Period = null, string? RoomId = null)
{
    public static BlackoutDto Of(PassBlackout b) => new(b.Id, b.Date, b.Kind, b.Period, b.Room?.Value);

    public PassBlackout ToBlackout() => new(Id, Date, Period, RoomId is null ? null : new RoomId(RoomId), Kind);
}

/// <summary>Bell schedules, the calendar, blackouts and the building's policy: when passes may happen and how many.</summary>
public static class SchoolDaysApi
{
    public static RouteGroupBuilder MapSchoolDays(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/config").WithTags("Configuration");

        group.MapGet("/bell-schedules", async (BuildingWriter writer, CancellationToken ct) =>
            TypedResults.Ok(await writer.ReadAsync(b => b.Schedules.OrderBy(s => s.DayType, StringComparer.Ordinal).Select(BellScheduleDto.Of).ToList(), ct)))
            .RequireScope(Scopes.Configure, Scopes.PassesRead);

        group.MapPut("/bell-schedules/{dayType}", (string dayType, BellScheduleDto body, BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
            ConfigurationChange.SaveAsync(writer, body, CheckSchedule(dayType, body), () => new SaveBellSchedule(body.ToSchedule(), time.GetUtcNow(), caller.Actor), null, ct))
            .RequireScope(Scopes.Configure).Audited("config.bell-schedules.save");

        group.MapGet("/calendar", async (BuildingWriter writer, CancellationToken ct) =>
            TypedResults.Ok(await writer.ReadAsync(b => CalendarDto.Of(b.Calendar), ct)))
            .RequireScope(Scopes.Configure, Scopes.PassesRead);

        group.MapPut("/calendar", async (CalendarDto body, BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
        {
            var known = await writer.ReadAsync(b => b.Schedules.Select(s => s.DayType).ToHashSet(StringComparer.Ordinal), ct);
            var unknown = body.Weekdays.Values.Concat(body.Overrides.Select(o => o.DayType)).OfType<string>().Where(d => !known.Contains(d)).Distinct().ToList();
            var checks = new Checks()
                .That(unknown.Count == 0, "dayType", $"has no bell schedule: {string.Join(", ", unknown.Take(5))}.")
                .That(body.Overrides.Count <= 1000, "overrides", "may list at most 1,000 dates.")
                .That(body.Overrides.Select(o => o.Date).Distinct().Count() == body.Overrides.Count, "overrides", "lists a date twice.");
            return await ConfigurationChange.SaveAsync(writer, body, checks, () => new ChangeCalendar(body.ToCalendar(), time.GetUtcNow(), caller.Actor), null, ct);
        }).RequireScope(Scopes.Configure).Audited("config.calendar.save");

        group.MapGet("/policy", async (BuildingWriter writer, CancellationToken ct) =>
            TypedResults.Ok(await writer.ReadAsync(b => b.Policy, ct)))
            .RequireScope(Scopes.Configure, Scopes.PassesRead);

        group.MapPut("/policy", (BuildingPolicy body, BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
            ConfigurationChange.SaveAsync(writer, body, CheckPolicy(body), () => new ChangePolicy(body, time.GetUtcNow(), caller.Actor), null, ct))
            .RequireScope(Scopes.Configure).Audited("config.policy.save")
            .WithSummary("Replace the building's policy: limits, cooldown, caps, claim and approval windows, auto-end");

        group.MapGet("/blackouts", async (BuildingWriter writer, CancellationToken ct) =>
            TypedResults.Ok(await writer.ReadAsync(b => b.Blackouts.OrderBy(x => x.Date).ThenBy(x => x.Id, StringComparer.Ordinal).Select(BlackoutDto.Of).ToList(), ct)))
            .RequireScope(Scopes.Configure, Scopes.PassesRead);

        group.MapPut("/blackouts/{id}", (string id, BlackoutDto body, BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
            ConfigurationChange.SaveAsync(writer, body, new Checks()
                .That(body.Id == id, "id", "must match the id in the address.").Id("id", id)
                .Text("period", body.Period, max: 50)
                .Id("roomId", body.RoomId, required: false),
                () => new SaveBlackout(body.ToBlackout(), time.GetUtcNow(), caller.Actor), null, ct))
            .RequireScope(Scopes.Configure).Audited("config.blackouts.save");

        group.MapDelete("/blackouts/{id}", async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> (
            string id, BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
        {
            if (!Checks.IsId(id))
            {
                return Problems.Invalid("id", "is not a blackout id.");
            }
            var (decision, refusal) = await writer.DecideAsync(new RemoveBlackout(id, time.GetUtcNow(), caller.Actor), ct);
            return refusal is null ? TypedResults.NoContent()
                : decision.Reason == Contracts.Passes.ReasonCode.InvalidConfiguration ? Problems.NotFound("blackout", id)
                : refusal;
        }).RequireScope(Scopes.Configure).Audited("config.blackouts.remove");

        return group;
    }

    private static Checks CheckSchedule(string dayType, BellScheduleDto body)
    {
        var checks = new Checks()
            .That(body.DayType == dayType, "dayType", "must match the day type in the address.").Id("dayType", dayType)
            .That(body.Periods.Count is >= 1 and <= 20, "periods", "must list 1 to 20 periods.")
            .That(body.Periods.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count() == body.Periods.Count, "periods", "names a period twice.")
            .That(Between(body.StartBuffer, TimeSpan.Zero, TimeSpan.FromHours(1)), "startBuffer", "must be between 0 and 1 hour.")
            .That(Between(body.EndBuffer, TimeSpan.Zero, TimeSpan.FromHours(1)), "endBuffer", "must be between 0 and 1 hour.");
        for (var i = 0; i < body.Periods.Count; i++)
        {
            var p = body.Periods[i];
            checks.Text($"periods[{i}].name", p.Name, required: true, max: 50)
                .That(p.End > p.Start, $"periods[{i}].end", "must be after the period's start.");
        }
        return checks;
    }

    private static Checks CheckPolicy(BuildingPolicy p) => new Checks()
        .That(p.DailyLimit is >= 0 and <= 100, "dailyLimit", "must be between 0 and 100.")
        .That(p.WeeklyLimit is null or (>= 0 and <= 500), "weeklyLimit", "must be between 0 and 500, or absent.")
        .That(p.Cooldown is null || Between(p.Cooldown.Value, TimeSpan.Zero, TimeSpan.FromHours(8)), "cooldown", "must be between 0 and 8 hours, or absent.")
        .That(p.RoomOutLimit is >= 0 and <= 100, "roomOutLimit", "must be between 0 and 100.")
        .That(p.BuildingCap is null or (>= 0 and <= 10_000), "buildingCap", "must be between 0 and 10,000, or absent.")
        .That(Between(p.ClaimWindow, TimeSpan.FromSeconds(5), TimeSpan.FromHours(1)), "claimWindow", "must be between 5 seconds and 1 hour.")
        .That(Between(p.ApprovalTimeout, TimeSpan.FromSeconds(30), TimeSpan.FromHours(8)), "approvalTimeout", "must be between 30 seconds and 8 hours.")
        .That(Between(p.AutoEndAfterOverdue, TimeSpan.Zero, TimeSpan.FromHours(8)), "autoEndAfterOverdue", "must be between 0 and 8 hours.")
        .That(Between(p.ScheduledStartWindow, TimeSpan.Zero, TimeSpan.FromHours(8)), "scheduledStartWindow", "must be between 0 and 8 hours.")
        .That(Between(p.TardyGrace, TimeSpan.Zero, TimeSpan.FromHours(1)), "tardyGrace", "must be between 0 and 1 hour.");

    private static bool Between(TimeSpan value, TimeSpan min, TimeSpan max) => value >= min && value <= max;
}
