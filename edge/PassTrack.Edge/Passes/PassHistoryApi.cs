using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PassTrack.Contracts.Passes;
using PassTrack.Edge.Api;
using PassTrack.Edge.Security;
using PassTrack.Edge.Store;
using PassTrack.Rules.Json;
using PassTrack.Rules.Passes;
using PassTrack.Rules.Queues;
using PassTrack.Rules;

namespace PassTrack.Edge.Passes;

/// <summary>Past passes, read from the event log: the building keeps only today in memory, the store keeps everything.</summary>
public static class PassHistoryApi
{
    public static RouteGroupBuilder MapPassHistory(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/passes").WithTags("Passes");

        group.MapGet("/history", async Task<Results<Ok<Page<PassDto>>, ValidationProblem>> (
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
            var created = db.Events.AsNoTracking().Where(e => e.Type == nameof(PassCreated));
            if (student is not null)
            {
                created = created.Where(e => e.StudentId == student);
            }
            created = created.Between(from, to, writer.StartingConfiguration.TimeZoneId);
            var total = await created.CountAsync(ct);
            var ids = await created.OrderByDescending(e => e.Sequence).Skip((page - 1) * pageSize).Take(pageSize)
                .Select(e => e.PassId!.Value).ToListAsync(ct);
            var passes = await PassRecords.LoadAsync(db, writer, ids, ct);
            return TypedResults.Ok(new Page<PassDto>(passes, page, pageSize, total));
        }).RequireScope(Scopes.PassesRead).Audited("passes.history.read")
            .WithSummary("Passes by student and/or local date range (inclusive), newest first, from the event log");

        return group;
    }
}

/// <summary>Rebuilds passes from their events in the store: created, every transition, overdue, arrival, reroute.</summary>
internal static class PassRecords
{
    public static async Task<List<PassDto>> LoadAsync(EdgeDb db, BuildingWriter writer, IReadOnlyCollection<long> passIds, CancellationToken ct)
    {
        if (passIds.Count == 0)
        {
            return [];
        }
        var rows = await db.Events.AsNoTracking()
            .Where(e => e.PassId != null && passIds.Contains(e.PassId.Value))
            .OrderBy(e => e.Sequence)
            .Select(e => new { e.Type, e.Json })
            .ToListAsync(ct);
        var records = new Dictionary<long, PassRecord>();
        foreach (var row in rows)
        {
            Fold(records, EventJson.Deserialize(row.Type, row.Json));
        }
        var studentIds = records.Values.Select(r => r.Student).Distinct().ToList();
        var names = await writer.ReadAsync(b => studentIds.ToDictionary(s => s, s => b.FindStudent(s)?.FullName), ct);
        // In the order asked for (the history page's order).
        return passIds.Where(records.ContainsKey).Select(id => records[id].ToDto(names.GetValueOrDefault(records[id].Student))).ToList();
    }

    private static void Fold(Dictionary<long, PassRecord> records, BuildingEvent e)
    {
        if (e is PassCreated created)
        {
            records[created.Pass.Value] = new PassRecord(created);
            return;
        }
        var id = EventIndex.PassOf(e);
        if (id is null || !records.TryGetValue(id.Value, out var record))
        {
            return;
        }
        switch (e)
        {
            case PassTransitioned t: record.Apply(t); break;
            case PassOverdue: record.Overdue = true; break;
            case PassArrival { WrongDestination: false } a: record.ArrivedAt = a.At; break;
            case PassRerouted r: record.Destination = r.To; break;
            case QueueOfferMade o: record.ClaimBy = o.ClaimBy; break;
            default: break;
        }
    }

    private sealed class PassRecord(PassCreated created)
    {
        public StudentId Student => created.Student;

        public DestinationId Destination { get; set; } = created.Destination;

        public bool Overdue { get; set; }

        public DateTimeOffset? ArrivedAt { get; set; }

        public DateTimeOffset? ClaimBy { get; set; }

        private PassState? _state;
        private DateTimeOffset? _startedAt;
        private TimeSpan? _timeLimit;
        private DateTimeOffset? _approvalBy;
        private DateTimeOffset? _endedAt;
        private TransitionCause? _endCause;
        private string? _endedBy;
        private bool _needsReview;
        private string? _overrideComment;

        public void Apply(PassTransitioned t)
        {
            _state = t.To;
            ClaimBy = null;
            if (t.Start is { } start)
            {
                _startedAt = t.At;
                _timeLimit = start.TimeLimit;
                _overrideComment = start.OverrideComment;
            }
            _approvalBy = t.Approval?.Deadline;
            if (t.To.IsTerminal())
            {
                _endedAt = t.At;
                _endCause = t.Cause;
                _endedBy = t.Actor.Name;
                _needsReview = t.NeedsReview;
            }
        }

        public PassDto ToDto(string? studentName) => new(
            created.Pass.ToString(),
            created.Student.Value,
            studentName,
            created.Origin.Value,
            Destination.Value,
            created.Requested.Value,
            _state,
            created.Source,
            created.At,
            created.Actor.Name,
            created.ScheduledFor,
            _startedAt,
            _timeLimit,
            _startedAt + _timeLimit,
            _startedAt is { } s && _endedAt is { } e ? e - s : null,
            Overdue,
            null,
            ClaimBy,
            _approvalBy,
            ArrivedAt,
            _endedAt,
            _endCause,
            _endedBy,
            _needsReview,
            created.Comment,
            _overrideComment);
    }
}
