using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PassTrack.Edge.Events;
using PassTrack.Edge.Store;
using PassTrack.Edge.Telemetry;
using PassTrack.Rules.Configuration;
using PassTrack.Rules.Decisions;
using PassTrack.Rules.Json;
using PassTrack.Rules;

namespace PassTrack.Edge.Passes;

/// <summary>A kiosk's scan, named by the kiosk: the key that makes applying it idempotent.</summary>
public sealed record ScanKey(string KioskId, string ScanId);

/// <summary>
/// The result of a command once it is durable. <see cref="Decision"/> is null for a scan seen before: its stored
/// <see cref="Reply"/> is what the kiosk was sent the first time.
/// </summary>
public sealed record Committed(Decision? Decision, byte[]? Reply, bool Duplicate, long Sequence);

/// <summary>
/// The building's single writer. Every command goes through one loop: it is decided on the in-memory building, its
/// events (and a scan's reply) are written to SQLite, and only after the commit is the caller answered. Commands that
/// arrive while a commit is in flight go together in the next one (group commit), so one flush serves many decisions.
/// Reads of the building run on the same loop, in order, so they never see a half-made change.
/// </summary>
public sealed class BuildingWriter(
    IOptions<EdgeOptions> options,
    IServiceScopeFactory scopes,
    EventFeed feed,
    EdgeMetrics metrics,
    TimeProvider time,
    ILogger<BuildingWriter> logger) : BackgroundService
{
    private readonly Channel<Work> _inbox = Channel.CreateBounded<Work>(new BoundedChannelOptions(50_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Building _building = null!;
    private BuildingConfiguration _configuration = null!;
    private SqliteConnection _connection = null!;
    private RawStatement _insertEvent = null!;
    private RawStatement _insertScan = null!;
    private SqliteCommand _findScan = null!;
    private SqliteCommand _checkpoint = null!;

    // Reused by every batch on the loop: the loop allocates as little as it can, since a collection stops it too.
    private readonly List<CommittedEvent> _committed = [];
    private readonly List<BuildingEvent> _taken = [];
    private readonly Dictionary<ScanKey, int> _seenInBatch = [];
    private readonly ArrayBufferWriter<byte> _eventBuffer = new(4096);
    private readonly Utf8JsonWriter _eventJson = new(Stream.Null, new JsonWriterOptions { Encoder = EventJson.Options.Encoder, Indented = false });

    /// <summary>Completes once the building has been rebuilt from the store and commands are taken.</summary>
    public Task Ready => _ready.Task;

    /// <summary>The sequence of the last committed event.</summary>
    public long LastSequence => Volatile.Read(ref _lastCommitted);

    private long _lastCommitted;

    public int Backlog => _inbox.Reader.Count;

    /// <summary>Decides a command and returns once its effects are committed.</summary>
    public Task<Committed> SubmitAsync(BuildingCommand command, CancellationToken cancellationToken = default) =>
        EnqueueAsync(new Work(command, null, null, null, null, default, false), cancellationToken);

    /// <summary>
    /// Decides a kiosk's scan exactly once: a scan id seen before returns the reply stored with it and changes nothing.
    /// <paramref name="reply"/> renders the reply the kiosk is sent; it is stored in the same transaction.
    /// </summary>
    /// <paramref name="madeAt"/> is when the kiosk says the scan was made; a scan made before what the
    /// <see cref="Scans"/> ledger covers is checked against the store.
    public Task<Committed> SubmitScanAsync(ScanKey scan, BuildingCommand command, Func<Decision, byte[]> reply, DateTimeOffset madeAt = default, CancellationToken cancellationToken = default) =>
        EnqueueAsync(new Work(command, scan, reply, null, null, madeAt, false), cancellationToken);

    /// <summary>
    /// As <see cref="SubmitScanAsync(ScanKey, BuildingCommand, Func{Decision, byte[]}, DateTimeOffset, CancellationToken)"/>,
    /// with the command made on the writer's loop from the live building (once the scan is known to be new). A null
    /// command means the kiosk is not in service: the answer is KioskNotBound.
    /// </summary>
    public Task<Committed> SubmitScanAsync(ScanKey scan, Func<Building, BuildingCommand?> command, Func<Decision, byte[]> reply, DateTimeOffset madeAt, CancellationToken cancellationToken = default) =>
        EnqueueAsync(new Work(null, scan, reply, null, command, madeAt, false), cancellationToken);

    /// <summary>
    /// A kiosk's scan, as <see cref="SubmitScanAsync(ScanKey, Func{Building, BuildingCommand?}, Func{Decision, byte[]}, DateTimeOffset, CancellationToken)"/>,
    /// except that whoever awaits the task continues on the writer's loop right after the commit, as the baseline
    /// broker's replies do: that continuation must do no more than hand the reply to the transport. It saves a
    /// thread-pool hop per decision (about 15% more decisions a second at saturation).
    /// </summary>
    internal Task<Committed> SubmitScanForReply(ScanKey scan, BuildingCommand? command, Func<Building, BuildingCommand?>? build, Func<Decision, byte[]> reply, DateTimeOffset madeAt) =>
        EnqueueAsync(new Work(command, scan, reply, null, build, madeAt, true), CancellationToken.None);

    /// <summary>The scans answered lately: whether a scan is new, and what a recent one decided.</summary>
    public ScanLedger Scans { get; } = new();

    /// <summary>Runs a read of the live building on the writer's loop, after everything submitted before it.</summary>
    public async Task<T> ReadAsync<T>(Func<Building, T> query, CancellationToken cancellationToken = default)
    {
        object? result = null;
        await EnqueueAsync(new Work(null, null, null, b => result = query(b), null, default, false), cancellationToken);
        return (T)result!;
    }

    /// <summary>The configuration the building was built from (the store's setup row).</summary>
    public BuildingConfiguration StartingConfiguration => _configuration;

    private Task<Committed> EnqueueAsync(Work work, CancellationToken cancellationToken)
    {
        // Almost always there is room: hand back the work's own task, with no async state machine per request.
        if (!cancellationToken.CanBeCanceled && _inbox.Writer.TryWrite(work))
        {
            return work.Done.Task;
        }
        return EnqueueSlowAsync(work, cancellationToken);
    }

    private async Task<Committed> EnqueueSlowAsync(Work work, CancellationToken cancellationToken)
    {
        await _inbox.Writer.WriteAsync(work, cancellationToken);
        return await work.Done.Task.WaitAsync(cancellationToken);
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var watch = Stopwatch.StartNew();
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<EdgeDb>();
            await db.Database.MigrateAsync(cancellationToken);
            var setup = await db.Setup.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
            if (setup is null)
            {
                var size = string.Equals(settings.DemoSize, "Large", StringComparison.OrdinalIgnoreCase) ? Rules.Demo.DemoSchoolSize.Large : Rules.Demo.DemoSchoolSize.Typical;
                var seed = settings.Demo ? Rules.Demo.DemoSchool.Create(size, buildingId: settings.BuildingId, name: settings.BuildingName) : Empty(settings);
                setup = new BuildingSetupRow
                {
                    BuildingId = seed.BuildingId,
                    ConfigurationJson = EventJson.Serialize(seed),
                    CreatedAtUnixMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
                };
                db.Setup.Add(setup);
                await db.SaveChangesAsync(cancellationToken);
                Log.NewStore(logger, seed.BuildingId, settings.Demo ? "demo school" : "empty");
            }
            _configuration = EventJson.DeserializeConfiguration(setup.ConfigurationJson);
        }

        _connection = new SqliteConnection(SqlitePragmas.ConnectionString(settings.DataPath));
        await _connection.OpenAsync(cancellationToken);
        SqlitePragmas.EnableWal(_connection);
        SqlitePragmas.ApplyToWriter(_connection);
        PrepareCommands();
        _building = RebuildFromStore();
        LoadScanLedger();
        Volatile.Write(ref _lastCommitted, _building.LastSequence);
        Log.Rebuilt(logger, _building.BuildingId, _building.LastSequence, watch.ElapsedMilliseconds);
        _ready.TrySetResult();
    }

    private static BuildingConfiguration Empty(EdgeOptions settings) => new(
        settings.BuildingId, settings.BuildingName, settings.TimeZone, [], [], [], [], SchoolCalendar.MondayToFriday("regular"), []);

    private Building RebuildFromStore()
    {
        var building = new Building(_configuration);
        using var read = _connection.CreateCommand();
        read.CommandText = "SELECT Type, Json FROM Events ORDER BY Sequence";
        using var rows = read.ExecuteReader();
        var batch = new List<BuildingEvent>(1024);
        while (rows.Read())
        {
            batch.Add(EventJson.Deserialize(rows.GetString(0), rows.GetString(1)));
            if (batch.Count == batch.Capacity)
            {
                building.Replay(batch);
                batch.Clear();
            }
        }
        building.Replay(batch);
        return building;
    }

    /// <summary>Fingerprints the last day's scans, and what the last minutes' scans decided, from the store.</summary>
    private void LoadScanLedger()
    {
        var now = time.GetUtcNow();
        Scans.Reset(now - ScanLedger.KeyWindow);
        var recentSince = (now - ScanLedger.RecentWindow).ToUnixTimeMilliseconds();
        using var read = _connection.CreateCommand();
        read.CommandText = "SELECT KioskId, ScanId, ReceivedAtUnixMs, CASE WHEN ReceivedAtUnixMs >= $recent THEN Reply END FROM Scans WHERE ReceivedAtUnixMs >= $since ORDER BY ReceivedAtUnixMs";
        read.Parameters.AddWithValue("$since", (now - ScanLedger.KeyWindow).ToUnixTimeMilliseconds());
        read.Parameters.AddWithValue("$recent", recentSince);
        using var rows = read.ExecuteReader();
        while (rows.Read())
        {
            var received = rows.GetInt64(2);
            var recent = rows.IsDBNull(3) ? null : RecentScan.FromReply((byte[])rows.GetValue(3), received);
            Scans.Add(new ScanKey(rows.GetString(0), rows.GetString(1)), received, recent);
        }
    }

    private void PrepareCommands()
    {
        _insertEvent = new RawStatement(_connection, "INSERT INTO Events (Sequence, Type, AtUnixMs, StudentId, PassId, Json) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        _insertScan = new RawStatement(_connection, "INSERT INTO Scans (KioskId, ScanId, Reply, Sequence, ReceivedAtUnixMs) VALUES (?1, ?2, ?3, ?4, ?5)");
        _checkpoint = _connection.CreateCommand();
        _checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        _findScan = _connection.CreateCommand();
        // By the span of time it was received in (the scan log's index), then by its key: see ScanLedger.
        _findScan.CommandText = "SELECT Reply, Sequence, ReceivedAtUnixMs FROM Scans WHERE ReceivedAtUnixMs BETWEEN $from AND $to AND KioskId = $kiosk AND ScanId = $scan LIMIT 1";
        foreach (var name in new[] { "$kiosk", "$scan", "$from", "$to" })
        {
            _findScan.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Work>(options.Value.MaxBatch);
        try
        {
            while (await _inbox.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < options.Value.MaxBatch && _inbox.Reader.TryRead(out var work))
                {
                    batch.Add(work);
                }
                RunBatch(batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what was not taken is refused below.
        }
        _inbox.Writer.TryComplete();
        while (_inbox.Reader.TryRead(out var left))
        {
            left.Done.TrySetException(new OperationCanceledException("The edge is shutting down."));
        }
    }

    private void RunBatch(List<Work> batch)
    {
        var started = Stopwatch.GetTimestamp();
        var committed = _committed;
        committed.Clear();
        var results = new Committed?[batch.Count];
        var seenInBatch = _seenInBatch;
        seenInBatch.Clear();
        var decisions = 0;
        var receivedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        try
        {
            using var transaction = _connection.BeginTransaction();
            _findScan.Transaction = transaction;
            for (var i = 0; i < batch.Count; i++)
            {
                var work = batch[i];
                if (work.Read is { } read)
                {
                    read(_building);
                    results[i] = new Committed(null, null, false, _building.LastSequence);
                    continue;
                }
                if (work.Scan is { } scan)
                {
                    if (seenInBatch.TryGetValue(scan, out var earlier))
                    {
                        results[i] = results[earlier]! with { Decision = null, Duplicate = true };
                        continue;
                    }
                    if (Scans.WhereToLook(scan, work.MadeAt) is { } where && FindScan(scan, where) is { } stored)
                    {
                        results[i] = stored;
                        continue;
                    }
                }
                var command = work.Command ?? work.Build!(_building);
                var decision = command is null ? NotInService : _building.Handle(command);
                decisions++;
                _taken.Clear();
                _building.TakeEvents(_taken);
                foreach (var e in _taken)
                {
                    committed.Add(Append(e));
                }
                byte[]? reply = null;
                if (work.Scan is { } key)
                {
                    reply = work.Reply!(decision);
                    InsertScan(key, reply, receivedAtMs);
                    seenInBatch[key] = i;
                }
                results[i] = new Committed(decision, reply, false, _building.LastSequence);
            }
            transaction.Commit();
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException or IOException)
        {
            // Nothing of this batch is durable, yet the building in memory has changed: fail every caller and
            // rebuild from what the store holds, so memory never runs ahead of the disk.
            Log.CommitFailed(logger, ex, batch.Count);
            foreach (var work in batch)
            {
                work.Done.TrySetException(new StoreUnavailableException(ex));
            }
            _building = RebuildFromStore();
            return;
        }

        Volatile.Write(ref _lastCommitted, _building.LastSequence);
        RememberScans(batch, results, receivedAtMs);
        feed.Publish(committed);
        var elapsed = Stopwatch.GetElapsedTime(started);
        metrics.BatchCommitted(batch.Count, decisions, elapsed);
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Done.TrySetResult(results[i]!);
        }
        FinishCheckpoint();
    }

    private long _lastCheckpoint;

    /// <summary>
    /// The <see cref="Checkpointer"/> copies the log into the database beside the writer, but the log only starts over
    /// when a checkpoint finishes with no newer frame written, which only the writer can arrange: every couple of
    /// seconds, with its callers already answered, it finishes what is left (little, usually) so the log stays small.
    /// </summary>
    private void FinishCheckpoint()
    {
        var now = Stopwatch.GetTimestamp();
        if (Stopwatch.GetElapsedTime(_lastCheckpoint, now) < Checkpointer.WriterInterval)
        {
            return;
        }
        _lastCheckpoint = now;
        try
        {
            _checkpoint.ExecuteNonQuery();
        }
        catch (SqliteException ex)
        {
            Log.CheckpointFailed(logger, ex);
        }
    }

    private static readonly Decision NotInService = new(Contracts.Passes.Outcome.Refused, Contracts.Passes.ReasonCode.KioskNotBound);

    /// <summary>After the commit, and only then, the ledger learns of the batch's new scans.</summary>
    private void RememberScans(List<Work> batch, Committed?[] results, long receivedAtMs)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].Scan is { } key && results[i] is { Duplicate: false, Decision: { } decision })
            {
                Scans.Add(key, receivedAtMs, ScanLedger.Summarise(decision, receivedAtMs));
            }
        }
        Scans.Evict(time.GetUtcNow());
    }

    private Committed? FindScan(ScanKey scan, ScanLookup where)
    {
        _findScan.Parameters[0].Value = scan.KioskId;
        _findScan.Parameters[1].Value = scan.ScanId;
        _findScan.Parameters[2].Value = where.FromUnixMs;
        _findScan.Parameters[3].Value = where.ToUnixMs;
        using var row = _findScan.ExecuteReader();
        return row.Read() ? new Committed(null, (byte[])row.GetValue(0), true, row.GetInt64(1)) : null;
    }

    private CommittedEvent Append(BuildingEvent e)
    {
        // The JSON goes to SQLite as UTF-8 from a buffer the loop keeps; listeners render their own string later.
        _eventBuffer.ResetWrittenCount();
        _eventJson.Reset(_eventBuffer);
        EventJson.Serialize(e, _eventJson);
        _eventJson.Flush();
        _insertEvent.Bind(1, e.Sequence);
        _insertEvent.BindText(2, EventJson.Utf8TypeName(e));
        _insertEvent.Bind(3, e.At.ToUnixTimeMilliseconds());
        _insertEvent.Bind(4, EventIndex.StudentOf(e));
        _insertEvent.Bind(5, EventIndex.PassOf(e));
        _insertEvent.BindText(6, _eventBuffer.WrittenSpan);
        _insertEvent.Execute();
        return new CommittedEvent(e.Sequence, EventJson.TypeName(e), e.At, e);
    }

    private void InsertScan(ScanKey key, byte[] reply, long receivedAtMs)
    {
        _insertScan.Bind(1, key.KioskId);
        _insertScan.Bind(2, key.ScanId);
        _insertScan.Bind(3, reply);
        _insertScan.Bind(4, _building.LastSequence);
        _insertScan.Bind(5, receivedAtMs);
        _insertScan.Execute();
    }

    public override void Dispose()
    {
        _eventJson.Dispose();
        _insertEvent?.Dispose();
        _insertScan?.Dispose();
        _findScan?.Dispose();
        _checkpoint?.Dispose();
        _connection?.Dispose();
        base.Dispose();
    }

    private sealed record Work(BuildingCommand? Command, ScanKey? Scan, Func<Decision, byte[]>? Reply, Action<Building>? Read, Func<Building, BuildingCommand?>? Build, DateTimeOffset MadeAt, bool Inline)
    {
        public TaskCompletionSource<Committed> Done { get; } = new(Inline ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "New store for building {Building} ({Kind})")]
    public static partial void NewStore(ILogger logger, string building, string kind);

    [LoggerMessage(2, LogLevel.Information, "Building {Building} rebuilt from {Events} events in {Ms} ms")]
    public static partial void Rebuilt(ILogger logger, string building, long events, long ms);

    [LoggerMessage(4, LogLevel.Warning, "The writer's checkpoint of the write-ahead log failed")]
    public static partial void CheckpointFailed(ILogger logger, Exception exception);

    [LoggerMessage(3, LogLevel.Error, "Commit of {Count} commands failed; rebuilding the building from the store")]
    public static partial void CommitFailed(ILogger logger, Exception exception, int count);
}

/// <summary>The store refused a commit; the command had no effect and may be retried.</summary>
public sealed class StoreUnavailableException(Exception inner) : Exception("The building's store could not commit; nothing was changed.", inner);
