using Microsoft.AspNetCore.Http.HttpResults;
using PassTrack.Contracts.Passes;
using PassTrack.Edge.Api;
using PassTrack.Edge.Security;
using PassTrack.Rules;
using PassTrack.Rules.Approvals;
using PassTrack.Rules.Passes;
using PassTrack.Rules.Queues;

namespace PassTrack.Edge.Passes;

/// <summary>A pass as staff see it. <see cref="Elapsed"/> is how long it has run; <see cref="QueuePosition"/> 0 holds an offer.</summary>
public sealed record PassDto(
    string Id,
    string StudentId,
    string? StudentName,
    string OriginRoomId,
    string DestinationId,
    string RequestedDestinationId,
    PassState? State,
    PassSource Source,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? ScheduledFor,
    DateTimeOffset? StartedAt,
    TimeSpan? TimeLimit,
    DateTimeOffset? DueBack,
    TimeSpan? Elapsed,
    bool Overdue,
    int? QueuePosition,
    DateTimeOffset? ClaimBy,
    DateTimeOffset? ApprovalBy,
    DateTimeOffset? ArrivedAt,
    DateTimeOffset? EndedAt,
    TransitionCause? EndCause,
    string? EndedBy,
    bool NeedsReview,
    string? Comment,
    string? OverrideComment)
{
    /// <summary>Maps a live pass; runs on the writer's loop, where the pass may be read safely.</summary>
    public static PassDto Of(Pass p, Building b, DateTimeOffset now) => new(
        Checks.Text(p.Id),
        p.Student.Value,
        b.FindStudent(p.Student)?.FullName,
        p.Origin.Value,
        p.Destination.Value,
        p.Requested.Value,
        p.State,
        p.Source,
        p.CreatedAt,
        p.CreatedBy.Name,
        p.ScheduledFor,
        p.StartedAt,
        p.StartedAt is null ? null : p.TimeLimit,
        p.DueBack,
        p.StartedAt is { } start ? (p.EndedAt ?? now) - start : null,
        p.Overdue || (p.State == PassState.Active && now > p.DueBack),
        p.State == PassState.Queued ? b.QueuePosition(p) : null,
        p.ClaimBy,
        p.ApprovalBy,
        p.ArrivedAt,
        p.EndedAt,
        p.EndCause,
        p.EndedBy?.Name,
        p.NeedsReview,
        p.Comment,
        p.OverrideComment);
}

/// <summary>Open passes at one moment: out now, waiting in a line, waiting for approval.</summary>
public sealed record OpenPassesDto(DateTimeOffset At, int Out, IReadOnlyList<PassDto> Passes);

public sealed record OverrideRequest(string Comment, bool IncludingEncounter = false);

/// <summary>A pass staff create from the dashboard. An override sets rules 3 to 11 aside, with a recorded comment.</summary>
public sealed record CreatePassRequest(string StudentId, string OriginRoomId, string DestinationId, bool JoinQueueIfFull = true, OverrideRequest? Override = null);

public sealed record CommentRequest(string? Comment = null);

public static class PassesApi
{
    public static RouteGroupBuilder MapPasses(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/passes").WithTags("Passes");

        group.MapGet("/active", async (BuildingWriter writer, TimeProvider time, string? room, string? destination, CancellationToken ct) =>
        {
            var now = time.GetUtcNow();
            return TypedResults.Ok(await writer.ReadAsync(b =>
            {
                var passes = b.OpenPasses
                    .Where(p => p.State is PassState.Active or PassState.Queued or PassState.PendingApproval)
                    .Where(p => (room is null || p.Origin.Value == room) && (destination is null || p.Destination.Value == destination))
                    .OrderBy(p => p.State).ThenBy(p => p.StartedAt ?? p.QueuedAt ?? p.CreatedAt).ThenBy(p => p.Id.Value)
                    .Select(p => PassDto.Of(p, b, now))
                    .ToList();
                return new OpenPassesDto(now, b.InHalls, passes);
            }, ct));
        }).RequireScope(Scopes.PassesRead).Audited("passes.active.read")
            .WithSummary("Passes out now, in a line (with positions) and waiting for approval, with elapsed time and overdue flags");

        group.MapGet("/approvals", async (BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
        {
            var now = time.GetUtcNow();
            return TypedResults.Ok(await writer.ReadAsync(b => b.AwaitingApprovalBy(caller.Actor)
                .OrderBy(p => p.ApprovalBy).Select(p => PassDto.Of(p, b, now)).ToList(), ct));
        }).RequireScope(Scopes.PassesRead).Audited("passes.approvals.read")
            .WithSummary("Passes waiting for an approval this key may give");

        group.MapGet("/{id}", async Task<Results<Ok<PassDto>, ValidationProblem, ProblemHttpResult>> (
            string id, BuildingWriter writer, Store.EdgeDb db, TimeProvider time, CancellationToken ct) =>
        {
            if (Checks.PassId(id) is not { } passId)
            {
                return Problems.Invalid("id", "must be a pass number.");
            }
            var now = time.GetUtcNow();
            var live = await writer.ReadAsync(b => b.FindPass(passId) is { } p ? PassDto.Of(p, b, now) : null, ct);
            if (live is not null)
            {
                return TypedResults.Ok(live);
            }
            // Older than today: the store has its whole story.
            var stored = await PassRecords.LoadAsync(db, writer, [passId.Value], ct);
            return stored.Count == 1 ? TypedResults.Ok(stored[0]) : Problems.NotFound("pass", id);
        }).RequireScope(Scopes.PassesRead).Audited("passes.read");

        group.MapPost("/", async Task<Results<Created<DecisionDto>, ValidationProblem, ProblemHttpResult>> (
            CreatePassRequest body, BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
        {
            var invalid = new Checks()
                .Id("studentId", body.StudentId)
                .Id("originRoomId", body.OriginRoomId)
                .Id("destinationId", body.DestinationId)
                .Text("override.comment", body.Override?.Comment, required: body.Override is not null)
                .Problem;
            if (invalid is not null)
            {
                return invalid;
            }
            var command = new RequestPass(new StudentId(body.StudentId), new RoomId(body.OriginRoomId), new DestinationId(body.DestinationId),
                PassSource.StaffDashboard, time.GetUtcNow(), caller.Actor)
            {
                JoinQueueIfFull = body.JoinQueueIfFull,
                Override = body.Override is { } o ? new RuleOverride(o.Comment.Trim(), o.IncludingEncounter) : null,
            };
            var (decision, refusal) = await writer.DecideAsync(command, ct);
            return refusal is not null ? refusal : TypedResults.Created($"/api/passes/{decision.PassId}", decision);
        }).RequireScope(Scopes.PassesWrite).Audited("passes.create")
            .WithSummary("Create a pass for a student, optionally overriding rules with a comment");

        group.MapPost("/{id}/end", (string id, CommentRequest? body, BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
            Command(id, body?.Comment, writer, (pass, comment) => new EndPass(pass, time.GetUtcNow(), caller.Actor, comment), null, ct))
            .RequireScope(Scopes.PassesWrite).Audited("passes.end")
            .WithSummary("End an active pass, or cancel one waiting in a line, for approval or for its scheduled time");

        group.MapPost("/{id}/approve", (string id, BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
            Command(id, null, writer, (pass, _) => new ApprovePass(pass, time.GetUtcNow(), caller.Actor), null, ct))
            .RequireScope(Scopes.PassesWrite).Audited("passes.approve");

        group.MapPost("/{id}/deny", (string id, CommentRequest? body, BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
            Command(id, body?.Comment, writer, (pass, comment) => new DenyPass(pass, time.GetUtcNow(), caller.Actor, comment),
                d => d.Reason == ReasonCode.Denied, ct))
            .RequireScope(Scopes.PassesWrite).Audited("passes.deny");

        group.MapPost("/{id}/claim", (string id, BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
            Command(id, null, writer, (pass, _) => new ClaimPass(pass, time.GetUtcNow(), caller.Actor), null, ct))
            .RequireScope(Scopes.PassesWrite).Audited("passes.claim")
            .WithSummary("Take the place held in a line for a queued pass");

        group.ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    private static async Task<Results<Ok<DecisionDto>, ValidationProblem, ProblemHttpResult>> Command(
        string id, string? comment, BuildingWriter writer, Func<PassId, string?, BuildingCommand> command,
        Func<Rules.Decisions.Decision, bool>? succeeded, CancellationToken ct)
    {
        var invalid = new Checks().Text("comment", comment).Problem;
        if (invalid is not null)
        {
            return invalid;
        }
        if (Checks.PassId(id) is not { } pass)
        {
            return Problems.Invalid("id", "must be a pass number.");
        }
        var (decision, refusal) = await writer.DecideAsync(command(pass, string.IsNullOrWhiteSpace(comment) ? null : comment.Trim()),
            succeeded ?? (d => d.Outcome != Outcome.Refused), ct);
        return refusal is not null ? refusal : TypedResults.Ok(decision);
    }
}
