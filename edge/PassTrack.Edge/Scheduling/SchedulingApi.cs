using Microsoft.AspNetCore.Http.HttpResults;
using PassTrack.Contracts.Passes;
using PassTrack.Edge.Api;
using PassTrack.Edge.Passes;
using PassTrack.Edge.Security;
using PassTrack.Rules;
using PassTrack.Rules.Passes;
using PassTrack.Rules.Scheduling;

namespace PassTrack.Edge.Scheduling;

/// <summary>A one-off pass arranged ahead: it starts on its own at <see cref="StartAt"/>.</summary>
public sealed record SchedulePassRequest(string StudentId, string OriginRoomId, string DestinationId, DateTimeOffset StartAt, string? Comment = null);

/// <summary>A pass that starts on its own on school days at a local time. No days listed means every school day.</summary>
public sealed record RecurringPassDto(
    string Id,
    string StudentId,
    string OriginRoomId,
    string DestinationId,
    TimeOnly LocalTime,
    IReadOnlyList<DayOfWeek> Days,
    DateOnly From,
    DateOnly? Until = null,
    string? Comment = null)
{
    public static RecurringPassDto Of(RecurringPass r) =>
        new(r.Id.Value, r.Student.Value, r.Origin.Value, r.Destination.Value, r.LocalTime, r.Days, r.From, r.Until, r.Comment);

    public RecurringPass ToRecurring() =>
        new(new RecurringPassId(Id), new StudentId(StudentId), new RoomId(OriginRoomId), new DestinationId(DestinationId), LocalTime, Days.Distinct().ToList(), From, Until, Comment);
}

public static class SchedulingApi
{
    private static readonly TimeSpan Horizon = TimeSpan.FromDays(366);

    public static RouteGroupBuilder MapScheduledPasses(this IEndpointRouteBuilder routes)
    {
        var scheduled = routes.MapGroup("/scheduled-passes").WithTags("Scheduled passes");

        scheduled.MapGet("/", async (BuildingWriter writer, TimeProvider time, CancellationToken ct) =>
        {
            var now = time.GetUtcNow();
            return TypedResults.Ok(await writer.ReadAsync(b => b.OpenPasses.Where(p => p.State == PassState.Scheduled)
                .OrderBy(p => p.ScheduledFor).Select(p => PassDto.Of(p, b, now)).ToList(), ct));
        }).RequireScope(Scopes.PassesRead).Audited("scheduled-passes.read");

        scheduled.MapPost("/", async Task<Results<Created<DecisionDto>, ValidationProblem, ProblemHttpResult>> (
            SchedulePassRequest body, BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
        {
            var now = time.GetUtcNow();
            var invalid = new Checks()
                .Id("studentId", body.StudentId)
                .Id("originRoomId", body.OriginRoomId)
                .Id("destinationId", body.DestinationId)
                .Text("comment", body.Comment)
                .That(body.StartAt > now - TimeSpan.FromMinutes(1) && body.StartAt < now + Horizon, "startAt", "must be from now to a year ahead.")
                .Problem;
            if (invalid is not null)
            {
                return invalid;
            }
            var (decision, refusal) = await writer.DecideAsync(new SchedulePass(new StudentId(body.StudentId), new RoomId(body.OriginRoomId),
                new DestinationId(body.DestinationId), body.StartAt, now, caller.Actor, body.Comment?.Trim()), ct);
            return refusal is not null ? refusal : TypedResults.Created($"/api/passes/{decision.PassId}", decision);
        }).RequireScope(Scopes.PassesWrite).Audited("scheduled-passes.create");

        scheduled.MapDelete("/{id}", async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> (
            string id, BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
        {
            if (Checks.PassId(id) is not { } pass)
            {
                return Problems.Invalid("id", "must be a pass number.");
            }
            if (!await writer.ReadAsync(b => b.FindPass(pass)?.State == PassState.Scheduled, ct))
            {
                return Problems.NotFound("scheduled pass", id);
            }
            var (_, refusal) = await writer.DecideAsync(new CancelPass(pass, time.GetUtcNow(), caller.Actor), ct);
            return refusal is not null ? refusal : TypedResults.NoContent();
        }).RequireScope(Scopes.PassesWrite).Audited("scheduled-passes.cancel");

        var recurring = routes.MapGroup("/recurring-passes").WithTags("Scheduled passes");

        recurring.MapGet("/", async (BuildingWriter writer, CancellationToken ct) =>
            TypedResults.Ok(await writer.ReadAsync(b => b.RecurringPasses.OrderBy(r => r.Id.Value, StringComparer.Ordinal).Select(RecurringPassDto.Of).ToList(), ct)))
            .RequireScope(Scopes.PassesRead).Audited("recurring-passes.read");

        recurring.MapPut("/{id}", async Task<Results<Ok<RecurringPassDto>, ValidationProblem, ProblemHttpResult>> (
            string id, RecurringPassDto body, BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
        {
            var invalid = new Checks()
                .That(body.Id == id, "id", "must match the id in the address.")
                .Id("id", id)
                .Id("studentId", body.StudentId)
                .Id("originRoomId", body.OriginRoomId)
                .Id("destinationId", body.DestinationId)
                .Text("comment", body.Comment)
                .That(body.Until is null || body.Until >= body.From, "until", "must not be before 'from'.")
                .That(body.Days.Count <= 7, "days", "lists at most the seven days of the week.")
                .Problem;
            if (invalid is not null)
            {
                return invalid;
            }
            var (_, refusal) = await writer.DecideAsync(new SaveRecurringPass(body.ToRecurring(), time.GetUtcNow(), caller.Actor), ct);
            return refusal is not null ? refusal : TypedResults.Ok(body);
        }).RequireScope(Scopes.PassesWrite).Audited("recurring-passes.save");

        recurring.MapDelete("/{id}", async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> (
            string id, BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
        {
            if (!Checks.IsId(id))
            {
                return Problems.Invalid("id", "is not a recurring pass id.");
            }
            if (!await writer.ReadAsync(b => b.RecurringPasses.Any(r => r.Id.Value == id), ct))
            {
                return Problems.NotFound("recurring pass", id);
            }
            var (_, refusal) = await writer.DecideAsync(new RemoveRecurringPass(new RecurringPassId(id), time.GetUtcNow(), caller.Actor), ct);
            return refusal is not null ? refusal : TypedResults.NoContent();
        }).RequireScope(Scopes.PassesWrite).Audited("recurring-passes.remove");

        return scheduled;
    }
}
