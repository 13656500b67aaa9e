using PassTrack.Contracts;
using PassTrack.Contracts.Passes;
using PassTrack.Contracts.Protocol;
using PassTrack.Edge.Passes;
using PassTrack.Rules;
using PassTrack.Rules.Emergencies;
using PassTrack.Rules.Staff;
using PassTrack.Rules.Students;

namespace PassTrack.Edge.Kiosks;

// Staff actions at a kiosk: a staff card's scan opens them, and each one is decided exactly once, like a choice.
public sealed partial class KioskRequests
{
    /// <summary>
    /// An action by the staff member whose card scan <see cref="StaffActionRequest.ForScan"/> identified at this kiosk.
    /// It is taken in their name with their permissions as they are now, so a badge switched off since the tap does nothing.
    /// </summary>
    public async Task StaffAsync(KioskInbound message, StaffActionRequest request, IKioskTransport transport)
    {
        var kiosk = new KioskId(message.Sender);
        var key = new ScanKey(kiosk.Value, request.ScanId);
        if (writer.Scans.WhereToLook(key, request.At) is { } where && await FindAsync(key, where) is { } decided)
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
        var identified = writer.Scans.Recent(forKey) ?? await RecentFromStoreAsync(forKey);
        if (identified is not { Outcome: Outcome.StaffIdentified, StaffId: { } staffId })
        {
            await RefuseStaffAsync(message, request, ProtocolErrors.NotStaff, "no recent scan of a staff card at this kiosk", transport);
            return;
        }
        var now = time.GetUtcNow();
        if (now - DateTimeOffset.FromUnixTimeMilliseconds(identified.ReceivedAtUnixMs) > options.Value.StaffWindow)
        {
            await RefuseStaffAsync(message, request, ProtocolErrors.ScanExpired, "the staff card was tapped longer ago than the staff window", transport);
            return;
        }

        var staff = new StaffId(staffId);
        var committed = writer.SubmitScanForReply(
            key,
            null,
            b => StaffCommand(request, b.FindStaff(staff) is { Active: true } member ? member.AsActor() : new Actor(ActorKind.Staff, staffId, staffId), now),
            d => KioskReplies.Render(request.ScanId, d, Language.English),
            request.At);
        StaffActed(logger, staffId, kiosk.Value, request.Action, WireText.Printable(request.StudentNumber));
        await ReplyAsync(message, key, committed, Language.English, transport);
    }

    /// <summary>The building command for a staff action; actions apply when the edge takes them, not when the kiosk sent them.</summary>
    private static BuildingCommand StaffCommand(StaffActionRequest request, Actor actor, DateTimeOffset now) => request.Action switch
    {
        StaffAction.Lockdown => new StartEmergency(EmergencyKind.Lockdown, now, actor),
        StaffAction.Clear => new ClearEmergency(now, actor),
        _ => new EnrolCard(
            new Credential(CredentialKind.StudentNumber, request.StudentNumber!.Trim()),
            new Credential(CredentialKind.Card, NormaliseCardId(request.Card!)),
            now,
            actor),
    };

    private Task RefuseStaffAsync(KioskInbound message, StaffActionRequest request, string error, string detail, IKioskTransport transport)
    {
        refusals.Record(message.Sender, RefusalReasons.UnknownScan, $"staff action {WireText.Printable(request.ScanId)} for scan {WireText.Printable(request.ForScan)}: {detail}");
        return PublishAsync(message, KioskReplies.Error(request.ScanId, error), transport);
    }

    [LoggerMessage(131, LogLevel.Information, "Staff {Staff} at kiosk {Kiosk}: {Action} {StudentNumber}")]
    private static partial void StaffActed(ILogger logger, string staff, string kiosk, StaffAction action, string studentNumber);
}
