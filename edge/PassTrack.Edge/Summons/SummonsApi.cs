using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using PassTrack.Contracts.Passes;
using PassTrack.Edge.Api;
using PassTrack.Edge.Passes;
using PassTrack.Edge.Security;
using PassTrack.Rules;
using PassTrack.Rules.Configuration;
using PassTrack.Rules.Summons;

namespace PassTrack.Edge.Summons;

public sealed record SummonsDto(
    string Id,
    string StudentId,
    string? StudentName,
    string DestinationId,
    SummonsPriority Priority,
    string? DeliverToRoomId,
    string SummonedBy,
    DateTimeOffset SummonedAt,
    string? Note,
    SummonsState State,
    string? PassId)
{
    public static SummonsDto Of(StudentSummons s, Building b) => new(
        s.Id.Value.ToString(CultureInfo.InvariantCulture),
        s.Student.Value,
        b.FindStudent(s.Student)?.FullName,
        s.Destination.Value,
        s.Priority,
        s.DeliverTo?.Value,
        s.SummonedBy.Name,
        s.SummonedAt,
        s.Note,
        s.State,
        s.Pass is { } pass ? Checks.Text(pass) : null);
}

/// <summary>
/// Call listed students, or a whole grade, to a named destination or a kind of place (a counselor's specialty picks
/// the counselor). The student's next tap at a kiosk starts the pass.
/// </summary>
public sealed record SummonRequest(
    IReadOnlyList<string>? StudentIds = null,
    int? Grade = null,
    string? DestinationId = null,
    DestinationKind? Kind = null,
    string? Specialty = null,
    SummonsPriority Priority = SummonsPriority.Routine,
    string? Note = null);

public static class SummonsApi
{
    public static RouteGroupBuilder MapSummons(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/summons").WithTags("Summons");

        group.MapGet("/", async (BuildingWriter writer, CancellationToken ct) =>
            TypedResults.Ok(await writer.ReadAsync(b => b.Summons.OrderBy(s => s.Id.Value).Select(s => SummonsDto.Of(s, b)).ToList(), ct)))
            .RequireScope(Scopes.PassesRead).Audited("summons.read")
            .WithSummary("Summons waiting for their student, and today's answered, cancelled and lapsed ones");

        group.MapPost("/", async Task<Results<Created<IReadOnlyList<SummonsDto>>, ValidationProblem, ProblemHttpResult>> (
            SummonRequest body, BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
        {
            var students = body.StudentIds ?? [];
            var invalid = new Checks()
                .Ids("studentIds", students, max: 500)
                .That(students.Count > 0 || body.Grade is not null, "studentIds", "name at least one student, or a grade.")
                .That(body.Grade is null or (>= -1 and <= 14), "grade", "must be a school grade.")
                .That(body.DestinationId is not null || body.Kind is not null, "destinationId", "name a destination, or a kind of place.")
                .Id("destinationId", body.DestinationId, required: false)
                .Text("specialty", body.Specialty, max: 100)
                .Text("note", body.Note)
                .Problem;
            if (invalid is not null)
            {
                return invalid;
            }
            var at = time.GetUtcNow();
            var before = await writer.ReadAsync(b => b.Summons.Select(s => s.Id.Value).DefaultIfEmpty().Max(), ct);
            var target = new SummonsTarget(body.Kind ?? DestinationKind.Other, body.DestinationId is null ? null : new DestinationId(body.DestinationId), body.Specialty);
            var command = new Summon(students.Select(s => new StudentId(s)).ToList(), target, body.Priority, at, caller.Actor)
            {
                Grade = body.Grade,
                Note = string.IsNullOrWhiteSpace(body.Note) ? null : body.Note.Trim(),
            };
            var (decision, refusal) = await writer.DecideAsync(command, ct);
            if (refusal is not null)
            {
                return decision.Reason == ReasonCode.InvalidTransition
                    ? Problems.Refused(decision.Reason, "Every student named is already summoned there.")
                    : refusal;
            }
            // The summons this request made: newer than before it, made by this caller at this moment.
            IReadOnlyList<SummonsDto> made = await writer.ReadAsync(b => b.Summons
                .Where(s => s.Id.Value > before && s.SummonedAt == at && s.SummonedBy == caller.Actor)
                .OrderBy(s => s.Id.Value).Select(s => SummonsDto.Of(s, b)).ToList(), ct);
            return TypedResults.Created("/api/summons", made);
        }).RequireScope(Scopes.PassesWrite).Audited("summons.create");

        group.MapDelete("/{id}", async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> (
            string id, BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
        {
            if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
            {
                return Problems.Invalid("id", "must be a summons number.");
            }
            var summons = new SummonsId(number);
            if (!await writer.ReadAsync(b => b.Summons.Any(s => s.Id == summons), ct))
            {
                return Problems.NotFound("summons", id);
            }
            var (decision, refusal) = await writer.DecideAsync(new CancelSummons(summons, time.GetUtcNow(), caller.Actor), ct);
            if (refusal is not null)
            {
                return decision.Reason == ReasonCode.InvalidTransition
                    ? Problems.Refused(decision.Reason, "The summons was already answered, cancelled or lapsed.")
                    : refusal;
            }
            return TypedResults.NoContent();
        }).RequireScope(Scopes.PassesWrite).Audited("summons.cancel");

        group.ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }
}
