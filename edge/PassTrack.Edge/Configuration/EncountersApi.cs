using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PassTrack.Contracts.Passes;
using PassTrack.Edge.Api;
using PassTrack.Edge.Passes;
using PassTrack.Edge.Security;
using PassTrack.Edge.Store;
using PassTrack.Rules.Configuration;
using PassTrack.Rules.Encounters;
using PassTrack.Rules.Json;
using PassTrack.Rules;

namespace PassTrack.Edge.Configuration;

/// <summary>Students who must never be out at once. A paused group is kept but not enforced.</summary>
public sealed record EncounterGroupDto(string Id, IReadOnlyList<string> Members, bool Paused = false, string? Note = null)
{
    public static EncounterGroupDto Of(EncounterGroup g) => new(g.Id.Value, g.Members.Select(m => m.Value).ToList(), g.Paused, g.Note);

    public EncounterGroup ToGroup() => new(new EncounterGroupId(Id), Members.Distinct().Select(m => new StudentId(m)).ToList(), Paused, Note);
}

/// <summary>A pass that did not start because another member of a group was out: who, which group, and the other pass.</summary>
public sealed record BlockedAttemptDto(
    long Sequence,
    DateTimeOffset At,
    string StudentId,
    string OriginRoomId,
    string DestinationId,
    string GroupId,
    string OtherStudentId,
    string OtherPassId,
    PassSource Source,
    string? PassId);

/// <summary>
/// Encounter groups and the log of attempts they blocked. Counselors and administrators only (scope "encounters"):
/// these name the students a group keeps apart. Changing a group is configuration too, so it also needs "config".
/// </summary>
public static class EncountersApi
{
    public static RouteGroupBuilder MapEncounters(this IEndpointRouteBuilder routes)
    {
        var groups = routes.MapGroup("/config/encounter-groups").WithTags("Encounters").RequireScope(Scopes.Encounters);

        groups.MapGet("/", async (BuildingWriter writer, CancellationToken ct) =>
            TypedResults.Ok(await writer.ReadAsync(b => b.EncounterGroups.OrderBy(g => g.Id.Value, StringComparer.Ordinal).Select(EncounterGroupDto.Of).ToList(), ct)))
            .Audited("encounters.groups.read");

        groups.MapPut("/{id}", (string id, EncounterGroupDto body, BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
            ConfigurationChange.SaveAsync(writer, body, new Checks()
                .That(body.Id == id, "id", "must match the id in the address.").Id("id", id)
                .Ids("members", body.Members, max: 50)
                .That(body.Members.Distinct().Count() >= 2, "members", "must name at least two different students.")
                .Text("note", body.Note),
                () => new SaveEncounterGroup(body.ToGroup(), time.GetUtcNow(), caller.Actor),
                "Every member of an encounter group must be a student of this building.", ct))
            .RequireScope(Scopes.Configure).Audited("encounters.groups.save");

        groups.MapDelete("/{id}", async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> (
            string id, BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
        {
            if (!Checks.IsId(id))
            {
                return Problems.Invalid("id", "is not an encounter group id.");
            }
            var (decision, refusal) = await writer.DecideAsync(new RemoveEncounterGroup(new EncounterGroupId(id), time.GetUtcNow(), caller.Actor), ct);
            return refusal is null ? TypedResults.NoContent()
                : decision.Reason == ReasonCode.InvalidConfiguration ? Problems.NotFound("encounter group", id)
                : refusal;
        }).RequireScope(Scopes.Configure).Audited("encounters.groups.remove");

        routes.MapGet("/encounters/blocked-attempts", async Task<Results<Ok<Page<BlockedAttemptDto>>, ValidationProblem>> (
            string? student, DateOnly? from, DateOnly? to, BuildingWriter writer, EdgeDb db, CancellationToken ct, int page = 1, int pageSize = Page.DefaultSize) =>
        {
            var invalid = new Checks()
                .Id("student", student, required: false)
                .That(from is null || to is null || from <= to, "to", "must not be before 'from'.")
                .Paging(page, pageSize)
                .Problem;
            if (invalid is not null)
            {
                return invalid;
            }
            var rows = db.Events.AsNoTracking().Where(e => e.Type == nameof(EncounterAttemptBlocked));
            if (student is not null)
            {
                rows = rows.Where(e => e.StudentId == student);
            }
            rows = rows.Between(from, to, writer.StartingConfiguration.TimeZoneId);
            var total = await rows.CountAsync(ct);
            var found = await rows.OrderByDescending(e => e.Sequence).Skip((page - 1) * pageSize).Take(pageSize)
                .Select(e => new { e.Type, e.Json }).ToListAsync(ct);
            var items = found.Select(r => (EncounterAttemptBlocked)EventJson.Deserialize(r.Type, r.Json))
                .Select(e => new BlockedAttemptDto(e.Sequence, e.At, e.Student.Value, e.Origin.Value, e.Destination.Value, e.Group.Value,
                    e.OtherStudent.Value, Checks.Text(e.OtherPass), e.Source, e.Pass is { } p ? Checks.Text(p) : null))
                .ToList();
            return TypedResults.Ok(new Page<BlockedAttemptDto>(items, page, pageSize, total));
        }).WithTags("Encounters").RequireScope(Scopes.Encounters).Audited("encounters.blocked-attempts.read")
            .WithSummary("Attempts encounter prevention blocked, newest first: the log counselors and administrators read");

        return groups;
    }
}
