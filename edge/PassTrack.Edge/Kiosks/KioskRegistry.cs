using Microsoft.EntityFrameworkCore;
using PassTrack.Contracts.Protocol;
using PassTrack.Edge.Passes;
using PassTrack.Edge.Security;
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

/// <summary>A kiosk registered by district IT, with the secret to load onto it (shown once, stored only hashed).</summary>
public sealed record KioskProvisioned(KioskChange Change, string? Secret);

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

    /// <summary>
    /// Moves (binds) an approved kiosk to another room. Not named BindAsync: minimal APIs take an instance method of
    /// that name for a parameter binder and refuse to start.
    /// </summary>
    public Task<KioskChange> MoveAsync(string kioskId, string roomId, Actor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(kioskId, roomId, null, actor, cancellationToken);

    /// <summary>Takes a kiosk out of service: its connection is refused from now on and its taps no longer count.</summary>
    public Task<KioskChange> RevokeAsync(string kioskId, Actor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(kioskId, null, DeviceStatus.Revoked, actor, cancellationToken);

    /// <summary>
    /// Registers a kiosk ahead of installation (or gives an existing one a new secret): the device is stored with the
    /// hash of <paramref name="secret"/> (a new random one when null), and approved and bound at once when
    /// <paramref name="roomId"/> is given, otherwise left pending.
    /// </summary>
    public async Task<KioskProvisioned> ProvisionAsync(string kioskId, string? secret, string? roomId, Actor actor, CancellationToken cancellationToken = default)
    {
        if (!actor.Can(StaffPermissions.Configure))
        {
            return new KioskProvisioned(new KioskChange(KioskChangeResult.NotPermitted, null), null);
        }
        if (!Topics.IsValidKioskId(kioskId))
        {
            return new KioskProvisioned(new KioskChange(KioskChangeResult.NotFound, null), null);
        }
        secret ??= SecretHasher.NewSecret();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<EdgeDb>();
            var device = await db.KioskDevices.SingleOrDefaultAsync(d => d.Id == kioskId, cancellationToken);
            if (device is null)
            {
                device = new KioskDevice { Id = kioskId, SecretHash = SecretHasher.Hash(secret), Status = DeviceStatus.Pending, EnrolledAtUnixMs = now };
                db.KioskDevices.Add(device);
            }
            else
            {
                device.SecretHash = SecretHasher.Hash(secret);
            }
            db.KioskStatusHistory.Add(new KioskStatusChange { KioskId = kioskId, State = device.Status.ToString(), AtUnixMs = now, Detail = $"provisioned by {actor.Id}" });
            await db.SaveChangesAsync(cancellationToken);
        }
        var change = roomId is null
            ? new KioskChange(KioskChangeResult.Done, await FindAsync(kioskId, cancellationToken))
            : await ApproveAsync(kioskId, roomId, actor, cancellationToken);
        if (roomId is null && Changed is { } changed)
        {
            await changed(kioskId);
        }
        return new KioskProvisioned(change, secret);
    }

    /// <summary>
    /// Records a device that presented a valid enrolment token as pending, with the hash of the secret it chose. False
    /// when a device with this id already exists (another connection enrolled it first): verify against that instead.
    /// </summary>
    internal async Task<bool> EnrollAsync(string kioskId, string secret, string? firmware, string? address, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<EdgeDb>();
            db.KioskDevices.Add(new KioskDevice
            {
                Id = kioskId,
                SecretHash = SecretHasher.Hash(secret),
                Status = DeviceStatus.Pending,
                Firmware = firmware,
                LastAddress = address,
                EnrolledAtUnixMs = now,
            });
            db.KioskStatusHistory.Add(new KioskStatusChange { KioskId = kioskId, State = nameof(DeviceStatus.Pending), AtUnixMs = now, Detail = $"enrolled from {address}" });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                return false;
            }
        }
        if (Changed is { } changed)
        {
            await changed(kioskId);
        }
        return true;
    }

    /// <summary>The device row as stored, for checking a connecting kiosk's secret and standing.</summary>
    internal async Task<KioskDevice?> FindDeviceAsync(string kioskId, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EdgeDb>();
        return await db.KioskDevices.AsNoTracking().SingleOrDefaultAsync(d => d.Id == kioskId, cancellationToken);
    }

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
