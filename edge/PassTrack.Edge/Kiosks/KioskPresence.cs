using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PassTrack.Contracts.Protocol;
using PassTrack.Edge.Passes;
using PassTrack.Edge.Store;
using PassTrack.Edge.Telemetry;

namespace PassTrack.Edge.Kiosks;

/// <summary>
/// Who is online and what each kiosk last reported, kept in the device registry. Connections, disconnections and
/// status changes are written at once (in batches: a reconnect storm is a handful of commits, not a thousand) with a
/// history row when something changed; heartbeat telemetry is kept in memory and written every
/// <see cref="KioskOptions.TelemetryWriteInterval"/>, so a thousand heartbeats a minute do not become a thousand writes.
/// </summary>
public sealed partial class KioskPresence(
    IServiceScopeFactory scopes,
    BuildingWriter writer,
    EdgeMetrics metrics,
    TimeProvider time,
    IOptions<KioskOptions> options,
    ILogger<KioskPresence> logger) : BackgroundService
{
    private readonly Channel<Change> _changes = Channel.CreateUnbounded<Change>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, byte> _online = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Change> _telemetry = new(StringComparer.Ordinal);

    /// <summary>Raised after a batch was written, with the kiosks it touched (tests wait on it).</summary>
    public event Action<IReadOnlyCollection<string>>? Saved;

    /// <summary>The kiosks connected now (embedded broker) or last reported online (external broker).</summary>
    public IReadOnlyCollection<string> Online => [.. _online.Keys];

    public bool IsOnline(string kioskId) => _online.ContainsKey(kioskId);

    public void Connected(string kioskId, string? firmware, string? address) =>
        Enqueue(new Change(kioskId, Now(), Online: true, firmware, address, "connected"));

    public void Disconnected(string kioskId, string detail) =>
        Enqueue(new Change(kioskId, Now(), Online: false, null, null, detail));

    /// <summary>
    /// A retained status or its Last Will. When the transport sees connections, only the firmware is taken from it: a
    /// stale Will delivered after a quick reconnect must not mark a connected kiosk offline.
    /// </summary>
    public void StatusReported(string kioskId, KioskStatusMessage status, bool authoritative) =>
        Enqueue(new Change(kioskId, Now(), authoritative ? status.State == KioskState.Online : null, status.Firmware, null, $"status {status.State}"));

    public void TelemetryReported(string kioskId, TelemetryMessage telemetry) =>
        Enqueue(new Change(kioskId, Now(), null, telemetry.Firmware, null, null) { Telemetry = telemetry });

    /// <summary>Writes whatever is waiting, telemetry included.</summary>
    public Task FlushAsync()
    {
        var done = new Change("", Now(), null, null, null, null) { Flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        Enqueue(done);
        return done.Flushed!.Task;
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private void Enqueue(Change change)
    {
        if (change.KioskId.Length > 0 && change.Online is { } online)
        {
            var changed = online ? _online.TryAdd(change.KioskId, 0) : _online.TryRemove(change.KioskId, out _);
            if (changed && online)
            {
                metrics.KioskConnected();
            }
            else if (changed)
            {
                metrics.KioskDisconnected();
            }
        }
        _changes.Writer.TryWrite(change);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await writer.Ready.WaitAsync(stoppingToken);
        await MarkAllOfflineAsync(stoppingToken);
        var ticks = TickAsync(stoppingToken);
        var batch = new List<Change>();
        try
        {
            while (await _changes.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < 2048 && _changes.Reader.TryRead(out var change))
                {
                    batch.Add(change);
                }
                await WriteAsync(batch, CancellationToken.None);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Whatever arrived while stopping (the broker's last disconnections) is still written.
        while (_changes.Reader.TryRead(out var change))
        {
            batch.Add(change);
        }
        batch.Add(new Change("", Now(), null, null, null, null) { Flushed = new TaskCompletionSource() });
        await WriteAsync(batch, CancellationToken.None);
        await ticks;
    }

    private async Task TickAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.TelemetryWriteInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                _changes.Writer.TryWrite(new Change("", Now(), null, null, null, null) { Flushed = new TaskCompletionSource() });
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task WriteAsync(List<Change> batch, CancellationToken cancellationToken)
    {
        var now = new List<Change>(batch.Count);
        var flush = false;
        foreach (var change in batch)
        {
            if (change.Flushed is not null)
            {
                flush = true;
            }
            else if (change.Telemetry is not null)
            {
                _telemetry[change.KioskId] = change;
            }
            else
            {
                now.Add(change);
                // A newer connection or status names the firmware (a kiosk just restarted into an update): telemetry
                // buffered from before it must not write the old version back at the next flush.
                if (change.Firmware is not null && _telemetry.TryGetValue(change.KioskId, out var buffered) && buffered.AtUnixMs <= change.AtUnixMs)
                {
                    _telemetry[change.KioskId] = buffered with { Firmware = null };
                }
            }
        }
        if (flush)
        {
            now.AddRange(_telemetry.Values);
            _telemetry.Clear();
        }
        try
        {
            if (now.Count > 0)
            {
                await SaveAsync(now, cancellationToken);
                Saved?.Invoke([.. now.Select(c => c.KioskId).Distinct(StringComparer.Ordinal)]);
            }
        }
        catch (Exception ex) when (ex is DbUpdateException or SqliteException or InvalidOperationException)
        {
            // Presence is bookkeeping: losing one batch of it must not stop the next.
            WriteFailed(logger, ex, now.Count);
        }
        foreach (var change in batch)
        {
            change.Flushed?.TrySetResult();
        }
    }

    private async Task SaveAsync(List<Change> changes, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EdgeDb>();
        var ids = changes.Select(c => c.KioskId).Distinct(StringComparer.Ordinal).ToList();
        var devices = await db.KioskDevices.Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, StringComparer.Ordinal, cancellationToken);
        foreach (var change in changes)
        {
            if (!devices.TryGetValue(change.KioskId, out var device))
            {
                continue; // Behind an external broker a topic may name a kiosk this edge does not know.
            }
            device.LastSeenAtUnixMs = Math.Max(device.LastSeenAtUnixMs ?? 0, change.AtUnixMs);
            if (change.Address is not null)
            {
                device.LastAddress = change.Address;
            }
            if (change.Firmware is { Length: > 0 } firmware && !string.Equals(firmware, device.Firmware, StringComparison.Ordinal))
            {
                if (device.Firmware is not null)
                {
                    History(db, device.Id, device.Online ? "Online" : "Offline", change.AtUnixMs, $"firmware {device.Firmware} -> {firmware}");
                }
                device.Firmware = firmware;
            }
            if (change.Online is { } online && online != device.Online)
            {
                device.Online = online;
                History(db, device.Id, online ? "Online" : "Offline", change.AtUnixMs, change.Detail);
            }
            if (change.Telemetry is { } telemetry)
            {
                device.QueuedScans = telemetry.QueuedScans;
                device.ReaderHealth = telemetry.Reader.ToString();
                device.UptimeSeconds = telemetry.UptimeSeconds;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>At start nobody is connected yet: a crash may have left kiosks marked online.</summary>
    private async Task MarkAllOfflineAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EdgeDb>();
        var at = Now();
        foreach (var device in await db.KioskDevices.Where(d => d.Online).ToListAsync(cancellationToken))
        {
            device.Online = false;
            History(db, device.Id, "Offline", at, "edge restarted");
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private static void History(EdgeDb db, string kioskId, string state, long at, string? detail) =>
        db.KioskStatusHistory.Add(new KioskStatusChange { KioskId = kioskId, State = state, AtUnixMs = at, Detail = detail });

    [LoggerMessage(110, LogLevel.Warning, "Could not write {Count} kiosk presence changes; later ones will be written")]
    private static partial void WriteFailed(ILogger logger, Exception exception, int count);

    private sealed record Change(string KioskId, long AtUnixMs, bool? Online, string? Firmware, string? Address, string? Detail)
    {
        public TelemetryMessage? Telemetry { get; init; }

        public TaskCompletionSource? Flushed { get; init; }
    }
}
