using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PassTrack.Contracts.Protocol;
using PassTrack.Edge.Kiosks;
using PassTrack.Edge.Store;
using PassTrack.Rules;

namespace PassTrack.Edge.Updates;

/// <summary>Which kiosks a rollout goes to: a chosen group, or (once one of them proved the version healthy) everyone else.</summary>
public sealed record RolloutRequest(IReadOnlyList<string>? KioskIds = null, bool Everyone = false);

public enum RolloutResult
{
    Done,
    UnknownVersion,
    UnknownKiosks,
    /// <summary>"Everyone" before any kiosk has run the version healthily: try it on a group first.</summary>
    PilotFirst,
    NoKiosks,
}

public sealed record Rollout(RolloutResult Result, IReadOnlyList<string> Kiosks);

/// <summary>A kiosk, the version it runs, and the update last offered to it.</summary>
public sealed record KioskUpdateView(
    string KioskId,
    string? RoomId,
    DeviceStatus Status,
    bool Online,
    string? Firmware,
    string? OfferedVersion,
    string? State,
    string? Detail,
    string? OfferedBy,
    DateTimeOffset? UpdatedAt);

/// <summary>
/// Rolling a version out to kiosks: who was offered what, the download tokens, and what each kiosk reported back.
/// An offer is sent when the rollout starts and again whenever the kiosk comes online until it answers, each time
/// with a fresh token (good for that kiosk and version only, for <see cref="UpdateOptions.TokenLifetime"/>). A kiosk
/// that refused or rolled back is not offered the version again until a new rollout names it.
/// </summary>
public sealed partial class UpdateRollouts(IServiceScopeFactory scopes, UpdateBundles bundles, TimeProvider time, IOptions<UpdateOptions> options, ILogger<UpdateRollouts> logger)
{
    public const string DownloadPath = "/kiosk-updates";
    public const string TokenHeader = Protocol.UpdateTokenHeader;
    private const int MaxDetail = 300;

    /// <summary>Raised after a rollout is committed, with the kiosks it offers the version to.</summary>
    public event Action<IReadOnlyList<string>>? Offered;

    /// <summary>Raised after a kiosk's report is stored.</summary>
    public event Action<string, UpdateReport>? Reported;

    public async Task<Rollout> StartAsync(string version, RolloutRequest request, Actor actor, CancellationToken cancellationToken)
    {
        if (bundles.Read(version) is null)
        {
            return new Rollout(RolloutResult.UnknownVersion, []);
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EdgeDb>();
        var approved = await db.KioskDevices.Where(d => d.Status == DeviceStatus.Approved).ToDictionaryAsync(d => d.Id, StringComparer.Ordinal, cancellationToken);
        List<string> targets;
        if (request.Everyone)
        {
            var healthy = await db.KioskUpdates.Where(u => u.Version == version && u.State == nameof(UpdateStage.Healthy)).Select(u => u.KioskId).ToListAsync(cancellationToken);
            if (healthy.Count == 0)
            {
                return new Rollout(RolloutResult.PilotFirst, []);
            }
            // Not the kiosks that run it already, nor those that reported it healthy (their next status will say so).
            targets = [.. approved.Values.Where(d => d.Firmware != version && !healthy.Contains(d.Id)).Select(d => d.Id).Order(StringComparer.Ordinal)];
        }
        else
        {
            var named = (request.KioskIds ?? []).Distinct(StringComparer.Ordinal).ToList();
            var unknown = named.Where(id => !approved.ContainsKey(id)).ToList();
            if (unknown.Count > 0)
            {
                return new Rollout(RolloutResult.UnknownKiosks, unknown);
            }
            targets = named;
        }
        if (targets.Count == 0)
        {
            return new Rollout(RolloutResult.NoKiosks, []);
        }
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var existing = await db.KioskUpdates.Where(u => targets.Contains(u.KioskId)).ToDictionaryAsync(u => u.KioskId, StringComparer.Ordinal, cancellationToken);
        foreach (var kioskId in targets)
        {
            if (!existing.TryGetValue(kioskId, out var row))
            {
                row = new KioskUpdate { KioskId = kioskId, Version = version, State = KioskUpdate.Offered, OfferedBy = actor.Name };
                db.KioskUpdates.Add(row);
            }
            row.Version = version;
            row.State = KioskUpdate.Offered;
            row.Detail = null;
            row.OfferedBy = actor.Name;
            row.OfferedAtUnixMs = now;
            row.UpdatedAtUnixMs = now;
            row.TokenHash = null;
            row.TokenExpiresAtUnixMs = null;
            db.KioskStatusHistory.Add(new KioskStatusChange { KioskId = kioskId, State = "Update", AtUnixMs = now, Detail = $"update {version} offered by {actor.Name}" });
        }
        await db.SaveChangesAsync(cancellationToken);
        RolloutStarted(logger, version, targets.Count, actor.Name);
        Offered?.Invoke(targets);
        return new Rollout(RolloutResult.Done, targets);
    }

    /// <summary>Kiosks still waiting to answer an offer of <paramref name="version"/>.</summary>
    public async Task<IReadOnlyList<string>> AwaitingAsync(string version, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EdgeDb>();
        return await db.KioskUpdates.Where(u => u.Version == version && u.State == KioskUpdate.Offered).Select(u => u.KioskId).ToListAsync(cancellationToken);
    }

    /// <summary>The offer to send a kiosk now, with a fresh download token; null when it has nothing outstanding.</summary>
    public async Task<UpdateOffer?> OfferForAsync(string kioskId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EdgeDb>();
        var row = await db.KioskUpdates.SingleOrDefaultAsync(u => u.KioskId == kioskId && u.State == KioskUpdate.Offered, cancellationToken);
        if (row is null || bundles.Read(row.Version) is not { } bundle
            || !await db.KioskDevices.AnyAsync(d => d.Id == kioskId && d.Status == DeviceStatus.Approved, cancellationToken))
        {
            return null;
        }
        // The kiosk id leads the token so a download names its kiosk; the random part is what proves it.
        var token = kioskId + "." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        row.TokenHash = Hash(token);
        row.TokenExpiresAtUnixMs = (time.GetUtcNow() + options.Value.TokenLifetime).ToUnixTimeMilliseconds();
        await db.SaveChangesAsync(cancellationToken);
        return new UpdateOffer(row.Version, Convert.ToBase64String(bundle.ManifestJson), Convert.ToBase64String(bundle.Signature), $"{DownloadPath}/{row.Version}/bundle", token);
    }

    /// <summary>The bundle a download token opens, or null (unknown, expired, another version, a revoked kiosk).</summary>
    public async Task<HeldBundle?> AuthorizeDownloadAsync(string version, string? token, CancellationToken cancellationToken)
    {
        if (token is not { Length: > 0 and <= 200 } || token.IndexOf('.', StringComparison.Ordinal) is var dot && dot <= 0)
        {
            return null;
        }
        var kioskId = token[..dot];
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EdgeDb>();
        var row = await db.KioskUpdates.AsNoTracking().SingleOrDefaultAsync(u => u.KioskId == kioskId, cancellationToken);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (row is not { State: KioskUpdate.Offered, TokenHash: { } hash } || row.Version != version || row.TokenExpiresAtUnixMs < now
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(Hash(token)))
            || !await db.KioskDevices.AnyAsync(d => d.Id == kioskId && d.Status == DeviceStatus.Approved, cancellationToken))
        {
            DownloadRefused(logger, version, kioskId);
            return null;
        }
        return bundles.Read(version);
    }

    /// <summary>Stores what a kiosk reported about the update it was offered; a report for another version is logged and dropped.</summary>
    public async Task ReportAsync(string kioskId, UpdateReport report, CancellationToken cancellationToken)
    {
        var detail = report.Detail is null ? null : Printable(report.Detail);
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<EdgeDb>();
            var row = await db.KioskUpdates.SingleOrDefaultAsync(u => u.KioskId == kioskId, cancellationToken);
            if (row is null || row.Version != report.Version)
            {
                StrayReport(logger, kioskId, report.Stage, report.Version);
                return;
            }
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            row.State = report.Stage.ToString();
            row.Detail = detail;
            row.UpdatedAtUnixMs = now;
            row.TokenHash = null;
            db.KioskStatusHistory.Add(new KioskStatusChange { KioskId = kioskId, State = "Update", AtUnixMs = now, Detail = $"update {report.Version}: {report.Stage}{(detail is null ? "" : ": " + detail)}" });
            await db.SaveChangesAsync(cancellationToken);
        }
        if (report.Stage is UpdateStage.Refused or UpdateStage.RolledBack)
        {
            UpdateFailed(logger, kioskId, report.Version, report.Stage, detail ?? "");
        }
        else
        {
            UpdateProgressed(logger, kioskId, report.Version, report.Stage);
        }
        Reported?.Invoke(kioskId, report);
    }

    public async Task<IReadOnlyList<KioskUpdateView>> ListAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EdgeDb>();
        var devices = await db.KioskDevices.AsNoTracking().OrderBy(d => d.Id).ToListAsync(cancellationToken);
        var updates = await db.KioskUpdates.AsNoTracking().ToDictionaryAsync(u => u.KioskId, StringComparer.Ordinal, cancellationToken);
        return [.. devices.Select(d =>
        {
            var u = updates.GetValueOrDefault(d.Id);
            return new KioskUpdateView(d.Id, d.RoomId, d.Status, d.Online, d.Firmware, u?.Version, u?.State, u?.Detail, u?.OfferedBy,
                u is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(u.UpdatedAtUnixMs));
        })];
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Printable(string text)
    {
        var clean = new string([.. text.Where(c => !char.IsControl(c))]);
        return clean.Length <= MaxDetail ? clean : clean[..MaxDetail];
    }

    [LoggerMessage(175, LogLevel.Information, "Update {Version} offered to {Count} kiosks by {Actor}")]
    private static partial void RolloutStarted(ILogger logger, string version, int count, string actor);

    [LoggerMessage(176, LogLevel.Warning, "Refused a download of update {Version} for '{Kiosk}': no valid token for it")]
    private static partial void DownloadRefused(ILogger logger, string version, string kiosk);

    [LoggerMessage(177, LogLevel.Warning, "Kiosk {Kiosk} reported {Stage} for update {Version}, which it was not offered; ignored")]
    private static partial void StrayReport(ILogger logger, string kiosk, UpdateStage stage, string version);

    [LoggerMessage(178, LogLevel.Warning, "Kiosk {Kiosk}: update {Version} {Stage}: {Detail}")]
    private static partial void UpdateFailed(ILogger logger, string kiosk, string version, UpdateStage stage, string detail);

    [LoggerMessage(179, LogLevel.Information, "Kiosk {Kiosk}: update {Version} {Stage}")]
    private static partial void UpdateProgressed(ILogger logger, string kiosk, string version, UpdateStage stage);
}
