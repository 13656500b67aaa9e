using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PassTrack.Contracts;
using PassTrack.Contracts.Passes;
using PassTrack.Contracts.Protocol;
using PassTrack.Edge.Passes;
using PassTrack.Edge.Store;
using PassTrack.Edge.Telemetry;
using PassTrack.Rules;
using PassTrack.Rules.Passes;
using PassTrack.Rules.Students;

namespace PassTrack.Edge.Kiosks;

/// <summary>
/// Scans and choices, decided exactly once. A scan becomes a <see cref="Tap"/> keyed by (kiosk, scan id); its reply is
/// rendered and stored in the same commit, and published only once the writer has
/// returned, so a kiosk never sees a decision the store could lose. A scan seen before is answered with its stored reply.
/// </summary>
public sealed partial class KioskRequests(
    BuildingWriter writer,
    IServiceScopeFactory scopes,
    KioskRefusals refusals,
    EdgeMetrics metrics,
    TimeProvider time,
    IOptions<KioskOptions> options,
    ILogger<KioskRequests> logger)
{
    // Scans submitted and not yet committed, so a choice that overtakes its own scan waits for it.
    private readonly ConcurrentDictionary<ScanKey, Task> _pending = new();

    /// <summary>
    /// Starts a scan. The tap is queued to the writer before this returns (the writer's inbox is taken in order), so a
    /// kiosk's scans are decided in the order it sent them; the rest (commit, reply) runs on.
    /// </summary>
    public Task Scan(KioskInbound message, ScanRequest request, IKioskTransport transport)
    {
        var kiosk = new KioskId(message.Sender);
        var tap = new Tap(kiosk, ToCredential(request), time.GetUtcNow(), Actor.OfKiosk(kiosk)) { ScannedAt = request.ScannedAt };
        var key = new ScanKey(kiosk.Value, request.ScanId);
        var committed = writer.SubmitScanForReply(key, tap, null, d => KioskReplies.Render(request.ScanId, d), request.ScannedAt);
        _pending[key] = committed;
        return ReplyAsync(message, key, committed, Language.English, transport);
    }

    /// <summary>A destination chosen (or a line left) by the student a recent scan at this kiosk identified.</summary>
    public async Task ChooseAsync(KioskInbound message, ChooseRequest request, IKioskTransport transport)
    {
        var kiosk = new KioskId(message.Sender);
        var key = new ScanKey(kiosk.Value, request.ScanId);
        // Already decided: the same answer again, before anything below could have changed.
        if (writer.Scans.WhereToLook(key, request.ChosenAt) is { } where && await FindAsync(key, where) is { } decided)
        {
            await PublishAsync(message, decided.Reply, transport);
            return;
        }
        var forKey = new ScanKey(kiosk.Value, request.ForScan);
        if (_pending.TryGetValue(forKey, out var scanning))
        {
            // Resumed off the writer's loop, where the scan's own reply runs (see SubmitScanForReply).
            await scanning.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.RunContinuationsAsynchronously, TaskScheduler.Default);
        }

        // What the scan decided is usually in memory (longer than the choose window); the store has it otherwise.
        var identified = writer.Scans.Recent(forKey) ?? await RecentFromStoreAsync(forKey);
        var now = time.GetUtcNow();
        var language = identified?.Language ?? Language.English;
        if (identified?.StudentId is null)
        {
            await RefuseAsync(message, request, ProtocolErrors.UnknownScan, language, "no recent scan that identified a student", transport);
            return;
        }
        if (now - DateTimeOffset.FromUnixTimeMilliseconds(identified.ReceivedAtUnixMs) > options.Value.ChooseWindow)
        {
            await RefuseAsync(message, request, ProtocolErrors.ScanExpired, language, "the scan is older than the choose window", transport);
            return;
        }

        Func<Building, BuildingCommand?> command;
        if (request.LeaveLine)
        {
            if (identified.PassId is not { } pass || identified.Outcome is not (Outcome.Status or Outcome.Queued or Outcome.PendingApproval))
            {
                await RefuseAsync(message, request, ProtocolErrors.UnknownScan, language, "the scan found no pass waiting", transport);
                return;
            }
            var cancel = new CancelPass(new PassId(pass), now, Actor.OfKiosk(kiosk));
            command = _ => cancel;
        }
        else
        {
            if (identified.Outcome != Outcome.Identified)
            {
                await RefuseAsync(message, request, ProtocolErrors.UnknownScan, language, $"the scan was answered {identified.Outcome}, not Identified", transport);
                return;
            }
            var student = new StudentId(identified.StudentId);
            var destination = new DestinationId(request.DestinationId!);
            // The kiosk's room is read on the writer's loop, where the building is: unbound since the scan means no pass.
            command = b => b.FindKiosk(kiosk) is { InService: true, Room: { } room }
                ? new RequestPass(student, room, destination, PassSource.Kiosk, now, Actor.OfKiosk(kiosk)) { JoinQueueIfFull = request.JoinQueue }
                : null;
        }
        var committed = writer.SubmitScanForReply(key, null, command, d => KioskReplies.Render(request.ScanId, d, language), request.ChosenAt);
        await ReplyAsync(message, key, committed, language, transport);
    }

    private async Task ReplyAsync(KioskInbound message, ScanKey key, Task<Committed> committing, Language language, IKioskTransport transport)
    {
        byte[] reply;
        try
        {
            reply = (await committing).Reply!;
        }
        catch (StoreUnavailableException ex)
        {
            StoreUnavailable(logger, ex, key.KioskId, key.ScanId);
            reply = KioskReplies.Error(key.ScanId, ProtocolErrors.Unavailable, language);
        }
        finally
        {
            _pending.TryRemove(new KeyValuePair<ScanKey, Task>(key, committing));
        }
        // On the writer's loop from here (SubmitScanForReply): hand the reply over, nothing more.
        await PublishAsync(message, reply, transport);
        metrics.ScanAnswered(Stopwatch.GetElapsedTime(message.ArrivedTimestamp));
    }

    private static Task PublishAsync(KioskInbound message, byte[] reply, IKioskTransport transport) =>
        transport.PublishAsync(KioskTopics.Reply(message.Sender, reply, message.CorrelationData), CancellationToken.None);

    private Task RefuseAsync(KioskInbound message, ChooseRequest request, string error, Language language, string detail, IKioskTransport transport)
    {
        refusals.Record(message.Sender, RefusalReasons.UnknownScan, $"choice {WireText.Printable(request.ScanId)} for scan {WireText.Printable(request.ForScan)}: {detail}");
        return PublishAsync(message, KioskReplies.Error(request.ScanId, error, language), transport);
    }

    private async Task<RecentScan?> RecentFromStoreAsync(ScanKey key)
    {
        // Only a scan the ledger still fingerprints can be recent enough to choose after.
        return writer.Scans.WhereToLook(key, time.GetUtcNow()) is { } where && await FindAsync(key, where) is { } row
            ? RecentScan.FromReply(row.Reply, row.ReceivedAtUnixMs)
            : null;
    }

    private async Task<ScanRow?> FindAsync(ScanKey key, ScanLookup where)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EdgeDb>();
        return await db.Scans.AsNoTracking()
            .Where(s => s.ReceivedAtUnixMs >= where.FromUnixMs && s.ReceivedAtUnixMs <= where.ToUnixMs)
            .FirstOrDefaultAsync(s => s.KioskId == key.KioskId && s.ScanId == key.ScanId);
    }

    /// <summary>What the student presented, as the engine knows credentials. Card ids arrive in many spellings.</summary>
    internal static Credential ToCredential(ScanRequest scan) => scan.Kind switch
    {
        CredentialType.Card => new Credential(CredentialKind.Card, NormaliseCardId(scan.Value)),
        CredentialType.Barcode => new Credential(CredentialKind.Barcode, scan.Value.Trim()),
        _ => new Credential(CredentialKind.StudentNumber, scan.Value.Trim()),
    };

    /// <summary>"04:a2:3b:1c", "04-A2-3B-1C" and "04a23b1c" are the same card: upper-case hex, no separators.</summary>
    internal static string NormaliseCardId(string value)
    {
        Span<char> hex = stackalloc char[value.Length];
        var n = 0;
        foreach (var c in value)
        {
            if (c is ':' or '-' or ' ' or '.')
            {
                continue;
            }
            hex[n++] = char.ToUpperInvariant(c);
        }
        return new string(hex[..n]);
    }

    [LoggerMessage(130, LogLevel.Warning, "Scan {ScanId} from {Kiosk} could not be committed; the kiosk was told to send it again")]
    private static partial void StoreUnavailable(ILogger logger, Exception exception, string kiosk, string scanId);
}
