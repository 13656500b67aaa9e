using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using PassTrack.Rules;
using PassTrack.Rules.Json;

namespace PassTrack.Dashboard.Federation;

/// <summary>What a replica took from its building's log: the events applied, in order, and how far it now is.</summary>
public sealed record ReplicaChange(string BuildingId, IReadOnlyList<BuildingEvent> Events, long Through);

/// <summary>
/// One building as the district sees it: the building's starting configuration with its log replayed on it by the same
/// rules code the edge decides with, so the district knows exactly what the edge knows, up to the last event it holds.
/// Read it only through <see cref="Read{T}"/>: the replica changes under the lock.
/// </summary>
public sealed class BuildingReplica(string buildingId, string name, long setupCreatedAtUnixMs, Building building)
{
    private readonly Lock _gate = new();

    public string BuildingId { get; } = buildingId;

    public string Name { get; } = name;

    internal long SetupCreatedAtUnixMs { get; } = setupCreatedAtUnixMs;

    /// <summary>The last event applied.</summary>
    public long Through { get; private set; } = building.LastSequence;

    /// <summary>Why the replica stopped following the log (an event this version cannot read), or null.</summary>
    public string? Fault { get; private set; }

    public T Read<T>(Func<Building, T> query)
    {
        lock (_gate)
        {
            return query(building);
        }
    }

    internal void Apply(IReadOnlyList<BuildingEvent> events)
    {
        lock (_gate)
        {
            building.Replay(events);
            Through = building.LastSequence;
        }
    }

    internal void Stop(string fault) => Fault = fault;
}

/// <summary>
/// The district's replicas of its buildings, kept current from the ingest: after every commit that moves a building's
/// gap-free log on, the events after the replica's last are read back from the district store and replayed, in order.
/// A replica starts once the building's edge has sent its setup; pages subscribe to <see cref="Changed"/>.
/// </summary>
public sealed partial class BuildingReplicas(
    IDbContextFactory<FederationDb> store,
    DistrictIngest ingest,
    ILogger<BuildingReplicas> logger) : BackgroundService
{
    private const int ReadBatch = 5_000;

    private readonly ConcurrentDictionary<string, BuildingReplica> _replicas = new(StringComparer.Ordinal);
    private readonly Channel<string> _due = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Raised on the replicas' loop after a replica applied events (or was built anew, with none listed).</summary>
    public event Action<ReplicaChange>? Changed;

    /// <summary>Completes once the replicas of every building with a setup were built at start.</summary>
    public Task Loaded => _loaded.Task;

    public BuildingReplica? Find(string buildingId) => _replicas.GetValueOrDefault(buildingId);

    public IReadOnlyCollection<BuildingReplica> All => (IReadOnlyCollection<BuildingReplica>)_replicas.Values;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ingest.Ingested += OnIngested;
        ingest.SetupReceived += OnSetupReceived;
        try
        {
            await using (var db = await store.CreateDbContextAsync(stoppingToken))
            {
                var revoked = db.Buildings.Where(b => b.Revoked).Select(b => b.Id);
                foreach (var id in await db.Setups.AsNoTracking().Where(s => !revoked.Contains(s.BuildingId)).Select(s => s.BuildingId).ToListAsync(stoppingToken))
                {
                    await CatchUpAsync(id, stoppingToken);
                }
            }
            _loaded.TrySetResult();
            await foreach (var buildingId in _due.Reader.ReadAllAsync(stoppingToken))
            {
                await CatchUpAsync(buildingId, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            ingest.Ingested -= OnIngested;
            ingest.SetupReceived -= OnSetupReceived;
            _loaded.TrySetResult();
        }
    }

    private void OnIngested(IngestedEvents ingested) => _due.Writer.TryWrite(ingested.BuildingId);

    private void OnSetupReceived(string buildingId) => _due.Writer.TryWrite(buildingId);

    /// <summary>Builds the building's replica if it has none (or its edge's store is new), then applies what it lacks.</summary>
    private async Task CatchUpAsync(string buildingId, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await store.CreateDbContextAsync(cancellationToken);
            var row = await db.Buildings.AsNoTracking()
                .Where(b => b.Id == buildingId)
                .Select(b => new { b.Name, b.Through, b.Revoked })
                .SingleOrDefaultAsync(cancellationToken);
            var created = await db.Setups.AsNoTracking().Where(s => s.BuildingId == buildingId).Select(s => (long?)s.CreatedAtUnixMs).SingleOrDefaultAsync(cancellationToken);
            if (row is null || row.Revoked || created is null)
            {
                _replicas.TryRemove(buildingId, out _);
                return;
            }
            var replica = _replicas.GetValueOrDefault(buildingId);
            if (replica is null || replica.SetupCreatedAtUnixMs != created)
            {
                // Only now is the setup itself read: megabytes, once per replica.
                var json = await db.Setups.AsNoTracking().Where(s => s.BuildingId == buildingId).Select(s => s.Json).SingleAsync(cancellationToken);
                replica = new BuildingReplica(buildingId, row.Name, created.Value, new Building(EventJson.DeserializeConfiguration(json)));
                _replicas[buildingId] = replica;
                LogBuilt(buildingId);
                Changed?.Invoke(new ReplicaChange(buildingId, [], replica.Through));
            }
            if (replica.Fault is not null)
            {
                return;
            }
            while (replica.Through < row.Through)
            {
                var from = replica.Through;
                var rows = await db.Events.AsNoTracking()
                    .Where(e => e.BuildingId == buildingId && e.Sequence > from && e.Sequence <= row.Through)
                    .OrderBy(e => e.Sequence)
                    .Take(ReadBatch)
                    .Select(e => new { e.Sequence, e.Type, e.Json })
                    .ToListAsync(cancellationToken);
                var events = new List<BuildingEvent>(rows.Count);
                foreach (var e in rows)
                {
                    if (e.Sequence != from + events.Count + 1)
                    {
                        // The ingest marks the log held only without a gap, so this is a store changed under it.
                        throw new InvalidDataException($"event {from + events.Count + 1} is missing from the district store");
                    }
                    events.Add(EventJson.Deserialize(e.Type, e.Json));
                }
                if (events.Count == 0)
                {
                    break;
                }
                replica.Apply(events);
                Changed?.Invoke(new ReplicaChange(buildingId, events, replica.Through));
            }
        }
        catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException or InvalidOperationException)
        {
            // A log this version cannot read stops the replica rather than showing a building that is not so.
            LogFaulted(buildingId, e.Message);
            _replicas.GetValueOrDefault(buildingId)?.Stop(e.Message);
            Changed?.Invoke(new ReplicaChange(buildingId, [], _replicas.GetValueOrDefault(buildingId)?.Through ?? 0));
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Replica of building {BuildingId} built from its setup")]
    private partial void LogBuilt(string buildingId);

    [LoggerMessage(2, LogLevel.Error, "Replica of building {BuildingId} stopped: {Reason}")]
    private partial void LogFaulted(string buildingId, string reason);
}
