using Microsoft.EntityFrameworkCore;
using PassTrack.Edge.Passes;
using PassTrack.Edge.Store;
using PassTrack.Rules;
using PassTrack.Rules.Configuration;

namespace PassTrack.Edge.Kiosks;

/// <summary>A kiosk as staff see it: its registration, where it hangs, and what it last reported.</summary>
public sealed record KioskView(
    string Id,
    DeviceStatus Status,
    string? RoomId,
    bool Online,
    string? Firmware,
    DateTimeOffset EnrolledAt,
    DateTimeOffset? LastSeen,
    int? QueuedScans,
    string? ReaderHealth,
    long? UptimeSeconds)
{
    public static KioskView Of(KioskDevice d) => new(
        d.Id,
        d.Status,
        d.RoomId,
        d.Online,
        d.Firmware,
        DateTimeOffset.FromUnixTimeMilliseconds(d.EnrolledAtUnixMs),
        d.LastSeenAtUnixMs is { } seen ? DateTimeOffset.FromUnixTimeMilliseconds(seen) : null,
        d.QueuedScans,
        d.ReaderHealth,
        d.UptimeSeconds);
}

public enum KioskChangeResult
{
    Done,
    NotFound,
    UnknownRoom,
    NotPermitted,
}

public sealed record KioskChange(KioskChangeResult Result, KioskView? Kiosk);

/// <summary>
/// Approving, binding and revoking kiosks. A change is made in two places that must agree: the device registry
/// (who may connect) and the building (which room a kiosk's taps belong to, through <see cref="SaveKiosk"/>).
/// <see cref="Changed"/> lets the broker push the new configuration to the kiosk, or disconnect a revoked one.
/// </summary>
public sealed class KioskRegistry(IServiceScopeFactory scopes, BuildingWriter writer, TimeProvider time)
{
    /// <summary>Raised after a kiosk's registration changed and was committed, with the kiosk's id.</summary>
    public event Func<string, Task>? Changed;

    public async Task<IReadOnlyList<KioskView>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EdgeDb>();
        var devices = await db.KioskDevices.AsNoTracking().OrderBy(d => d.Id).ToListAsync(cancellationToken);
        return devices.Select(KioskView.Of).ToList();
    }

    public async Task<KioskView?> FindAsync(string kioskId, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EdgeDb>();
        var device = await db.KioskDevices.AsNoTracking().SingleOrDefaultAsync(d => d.Id == kioskId, cancellationToken);
        return device is null ? null : KioskView.Of(device);
    }

    /// <summary>Approves a pending (or revoked) kiosk and binds it to a room in one step.</summary>
    public Task<KioskChange> ApproveAsync(string kioskId, string roomId, Actor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(kioskId, roomId, DeviceStatus.Approved, actor, cancellationToken);

    /// <summary>Moves an approved kiosk to another room.</summary>
    public Task<KioskChange> BindAsync(string kioskId, string roomId, Actor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(kioskId, roomId, null, actor, cancellationToken);

    /// <summary>Takes a kiosk out of service: its connection is refused from now on and its taps no longer count.</summary>
    public Task<KioskChange> RevokeAsync(string kioskId, Actor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(kioskId, null, DeviceStatus.Revoked, actor, cancellationToken);

    private async Task<KioskChange> ChangeAsync(string kioskId, string? roomId, DeviceStatus? status, Actor actor, CancellationToken cancellationToken)
    {
        if (!actor.Can(StaffPermissions.Configure))
        {
            return new KioskChange(KioskChangeResult.NotPermitted, null);
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EdgeDb>();
        var device = await db.KioskDevices.SingleOrDefaultAsync(d => d.Id == kioskId, cancellationToken);
        if (device is null)
        {
            return new KioskChange(KioskChangeResult.NotFound, null);
        }
        if (roomId is not null && await writer.ReadAsync(b => b.FindRoom(new RoomId(roomId)), cancellationToken) is null)
        {
            return new KioskChange(KioskChangeResult.UnknownRoom, KioskView.Of(device));
        }

        var newStatus = status ?? device.Status;
        var newRoom = roomId ?? device.RoomId;
        var now = time.GetUtcNow();
        // The building first: if its commit fails nothing has changed anywhere.
        var decision = await writer.SubmitAsync(new SaveKiosk(
            new Kiosk(new KioskId(kioskId), newRoom is null ? null : new RoomId(newRoom), newStatus switch
            {
                DeviceStatus.Approved => KioskStatus.Approved,
                DeviceStatus.Revoked => KioskStatus.Revoked,
                _ => KioskStatus.Pending,
            }),
            now,
            actor), cancellationToken);
        if (decision.Decision?.Outcome != Contracts.Passes.Outcome.Accepted)
        {
            return new KioskChange(KioskChangeResult.UnknownRoom, KioskView.Of(device));
        }

        if (newStatus == DeviceStatus.Approved && device.Status != DeviceStatus.Approved)
        {
            device.ApprovedAtUnixMs = now.ToUnixTimeMilliseconds();
            device.ApprovedBy = actor.Id;
        }
        device.Status = newStatus;
        device.RoomId = newRoom;
        db.KioskStatusHistory.Add(new KioskStatusChange
        {
            KioskId = kioskId,
            State = newStatus.ToString(),
            AtUnixMs = now.ToUnixTimeMilliseconds(),
            Detail = $"{(status is null ? "bound" : newStatus.ToString().ToLowerInvariant())} by {actor.Id}{(newRoom is null ? "" : $" to {newRoom}")}",
        });
        await db.SaveChangesAsync(cancellationToken);

        if (Changed is { } changed)
        {
            await changed(kioskId);
        }
        return new KioskChange(KioskChangeResult.Done, KioskView.Of(device));
    }
}
