using Microsoft.EntityFrameworkCore;
using PassTrack.Dashboard.Access;

namespace PassTrack.Dashboard.Audit;

/// <summary>One view of student data: who (and in which role), when, from where, what, and which students.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public long AtUnixMs { get; set; }

    public required string UserId { get; set; }

    public required string UserName { get; set; }

    public required string Role { get; set; }

    /// <summary>The viewer's network address as the dashboard saw it (the browser's connection).</summary>
    public string? Address { get; set; }

    public required string BuildingId { get; set; }

    /// <summary>What was looked at: the page and its subject, e.g. "teacher page, room B106".</summary>
    public required string What { get; set; }

    public List<AuditStudent> Students { get; set; } = [];
}

/// <summary>A student whose data an <see cref="AuditEntry"/> showed.</summary>
public sealed class AuditStudent
{
    public long EntryId { get; set; }

    public required string BuildingId { get; set; }

    public required string StudentId { get; set; }
}

/// <summary>
/// Writes every view of student data to the district store (FERPA: a record of each access to a student's records).
/// Pages call <see cref="RecordAsync"/> when they first show students and again whenever a student appears that the
/// same page view has not yet recorded; a live page does not write a row per update.
/// </summary>
public sealed partial class AuditLog(IDbContextFactory<AccessDb> store, TimeProvider time, ILogger<AuditLog> logger)
{
    /// <summary>Students per entry at most; a longer list is split over several entries.</summary>
    public const int MaxStudentsPerEntry = 500;

    public async Task RecordAsync(Viewer viewer, string buildingId, string what, IReadOnlyCollection<string> studentIds, CancellationToken cancellationToken = default)
    {
        await using var db = await store.CreateDbContextAsync(cancellationToken);
        var at = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var chunk in studentIds.Count == 0 ? [[]] : studentIds.Chunk(MaxStudentsPerEntry))
        {
            db.Audit.Add(new AuditEntry
            {
                AtUnixMs = at,
                UserId = viewer.UserId,
                UserName = viewer.UserName,
                Role = viewer.Role,
                Address = viewer.Address,
                BuildingId = buildingId,
                What = what.Length > 200 ? what[..200] : what,
                Students = [.. chunk.Select(s => new AuditStudent { BuildingId = buildingId, StudentId = s })],
            });
        }
        await db.SaveChangesAsync(cancellationToken);
        LogViewed(viewer.UserName, viewer.Role, viewer.Address ?? "", buildingId, what, studentIds.Count);
    }

    /// <summary>The audit of one page view: each student is recorded the first time the view shows them.</summary>
    public PageAudit ForPageView() => new(this);

    [LoggerMessage(1, LogLevel.Information, "Audit: {User} ({Role}, {Address}) viewed {What} in building {BuildingId}: {Count} students")]
    private partial void LogViewed(string user, string role, string address, string buildingId, string what, int count);
}

/// <summary>
/// What one page view has recorded: a live page shows the same students again on every update, and records only the
/// ones it had not shown before.
/// </summary>
public sealed class PageAudit(AuditLog log)
{
    private readonly HashSet<string> _recorded = new(StringComparer.Ordinal);
    private bool _recordedAny;

    /// <param name="evenIfNone">Record the view once even when it shows no student (a room board with nobody out).</param>
    public async Task ShownAsync(Viewer viewer, string buildingId, string what, IEnumerable<string> studentIds, bool evenIfNone = false)
    {
        var fresh = studentIds.Where(id => _recorded.Add(buildingId + "/" + id)).ToList();
        if (fresh.Count > 0 || (evenIfNone && !_recordedAny))
        {
            _recordedAny = true;
            await log.RecordAsync(viewer, buildingId, what, fresh);
        }
    }
}
