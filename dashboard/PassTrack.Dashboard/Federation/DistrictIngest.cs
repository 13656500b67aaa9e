using PassTrack.Contracts;
using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using PassTrack.Contracts.District;

namespace PassTrack.Dashboard.Federation;

/// <summary>What one ingested batch added for a building: its events that were new, and how far the log is now held.</summary>
public sealed record IngestedEvents(string BuildingId, IReadOnlyList<DistrictEvent> Events, long Through);

/// <summary>
/// Takes every building's event log into the district store, exactly once and in the end without gaps: events are
/// keyed by (building, sequence), so a batch delivered twice or out of order adds nothing twice; the district tells
/// each edge how far it holds the log without a gap (<see cref="SyncMessage"/>), and asks it to resend from there when
/// it says hello and whenever a batch shows a gap. One loop handles every message, so a building's progress is
/// computed by one writer.
/// </summary>
public sealed partial class DistrictIngest(
    IServiceScopeFactory scopes,
    DistrictBroker broker,
    EdgeCommands commands,
    IOptions<DistrictOptions> options,
    TimeProvider time,
    ILogger<DistrictIngest> logger) : BackgroundService
{
    /// <summary>More events than this in one batch is not an edge's batch.</summary>
    public const int MaxBatch = 1000;

    /// <summary>A gap is asked about again only after this long, unless the log moved on since.</summary>
    private static readonly TimeSpan ResendBackoff = TimeSpan.FromSeconds(5);

    private readonly Channel<Inbound> _inbound = Channel.CreateUnbounded<Inbound>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, (long Through, long AtMs)> _resendAsked = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _through = new(StringComparer.Ordinal);
    private readonly List<(string Building, long Sequence, TaskCompletionSource Done)> _waiters = [];
    private IMqttClient? _client;

    /// <summary>Raised after each commit with what it added; pages follow the district live from here.</summary>
    public event Action<IngestedEvents>? Ingested;

    /// <summary>Raised when a building's edge says hello or its status changes (the building's id).</summary>
    public event Action<string>? StatusChanged;

    /// <summary>Raised when a building's starting configuration is stored (the building's id).</summary>
    public event Action<string>? SetupReceived;

    /// <summary>A building's configuration larger than this, uncompressed, is not a school's.</summary>
    public const int MaxSetupBytes = 64 * 1024 * 1024;

    /// <summary>Completes when the district holds building's log without a gap through <paramref name="sequence"/>.</summary>
    public Task WaitForAsync(string buildingId, long sequence, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_through.TryGetValue(buildingId, out var through) && through >= sequence)
            {
                return Task.CompletedTask;
            }
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((buildingId, sequence, done));
            return done.Task.WaitAsync(cancellationToken);
        }
    }

    internal IMqttClient? Client => _client;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await broker.Ready.WaitAsync(stoppingToken);
        await LoadProgressAsync(stoppingToken);
        var client = new MqttClientFactory().CreateMqttClient();
        _client = client;
        client.ApplicationMessageReceivedAsync += e =>
        {
            var m = e.ApplicationMessage;
            _inbound.Writer.TryWrite(new Inbound(m.Topic, m.Payload.ToArray(), m.CorrelationData));
            return Task.CompletedTask;
        };
        using var lost = new SemaphoreSlim(0);
        client.DisconnectedAsync += _ =>
        {
            lost.Release();
            return Task.CompletedTask;
        };
        var loop = ProcessAsync(stoppingToken);
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!client.IsConnected)
            {
                try
                {
                    await ConnectAsync(client, stoppingToken);
                    delay = TimeSpan.FromSeconds(1);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogConnectFailed(e.Message, delay.TotalSeconds);
                    await Task.Delay(delay, time, stoppingToken);
                    delay = TimeSpan.FromSeconds(Math.Min(30, delay.TotalSeconds * 2));
                    continue;
                }
            }
            // Connected: wait until the connection is lost (a stale signal from a failed attempt only loops once more).
            await lost.WaitAsync(stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        _inbound.Writer.TryComplete();
        await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (client.IsConnected)
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
        }
        client.Dispose();
    }

    private async Task ConnectAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        var broker1 = options.Value.Broker;
        var (user, password) = broker1.Embedded ? (DistrictBroker.IngestClientId, broker.IngestSecret) : (broker1.UserName ?? DistrictBroker.IngestClientId, broker1.Password);
        var host = broker1.Embedded ? "127.0.0.1" : broker1.Host;
        var clientOptions = new MqttClientOptionsBuilder()
            .WithTcpServer(host, broker1.Port)
            .WithClientId(DistrictBroker.IngestClientId)
            .WithCredentials(user, password)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            // A persistent session: events published while the dashboard restarts wait for it at the broker.
            .WithCleanStart(false)
            .WithSessionExpiryInterval(24 * 3600)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();
        var result = await client.ConnectAsync(clientOptions, cancellationToken);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"refused: {result.ResultCode}");
        }
        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var filter in DistrictTopics.IngestFilters)
        {
            subscribe.WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce);
        }
        await client.SubscribeAsync(subscribe.Build(), cancellationToken);
        LogConnected(host, broker1.Port);
    }

    private async Task LoadProgressAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FederationDb>();
        var progress = await db.Buildings.AsNoTracking().Select(b => new { b.Id, b.Through }).ToListAsync(cancellationToken);
        lock (_gate)
        {
            foreach (var b in progress)
            {
                _through[b.Id] = b.Through;
            }
        }
    }

    private async Task ProcessAsync(CancellationToken stoppingToken)
    {
        await foreach (var message in _inbound.Reader.ReadAllAsync(CancellationToken.None))
        {
            try
            {
                await HandleAsync(message, stoppingToken);
            }
            catch (Exception e) when (e is JsonException or InvalidDataException or IOException)
            {
                LogBadMessage(WireText.Printable(message.Topic), e.Message);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException or MQTTnet.Exceptions.MqttCommunicationException)
            {
                // The store or the broker failed this once: the edge resends what was not acknowledged.
                LogHandleFailed(WireText.Printable(message.Topic), e.Message);
            }
        }
    }

    private async Task HandleAsync(Inbound message, CancellationToken cancellationToken)
    {
        if (!DistrictTopics.TryParse(message.Topic, out var buildingId, out var kind))
        {
            throw new InvalidDataException("not a building's topic");
        }
        switch (kind)
        {
            case DistrictTopic.Hello:
                await HelloAsync(buildingId, Read(message.Payload, DistrictJson.Default.HelloMessage), cancellationToken);
                break;
            case DistrictTopic.Events:
                await EventsAsync(buildingId, Read(message.Payload, DistrictJson.Default.EventBatch), cancellationToken);
                break;
            case DistrictTopic.Status:
                await StatusAsync(buildingId, message.Payload.Length == 0 ? null : Read(message.Payload, DistrictJson.Default.EdgeStatusMessage), cancellationToken);
                break;
            case DistrictTopic.Results:
                commands.Complete(buildingId, Read(message.Payload, DistrictJson.Default.CommandResult));
                break;
            case DistrictTopic.Setup:
                await SetupAsync(buildingId, Read(message.Payload, DistrictJson.Default.SetupMessage), cancellationToken);
                break;
            default:
                throw new InvalidDataException("the district does not take this topic");
        }
    }

    private async Task HelloAsync(string buildingId, HelloMessage hello, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FederationDb>();
        var building = await KnownAsync(db, buildingId, hello.BuildingId, cancellationToken);
        if (building is null)
        {
            return;
        }
        if (hello.LastSequence < building.Through)
        {
            LogEdgeBehind(buildingId, hello.LastSequence, building.Through);
        }
        building.EdgeLastSequence = hello.LastSequence;
        building.Online = true;
        building.LastSeenAtUnixMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        await db.SaveChangesAsync(cancellationToken);
        LogHello(buildingId, hello.LastSequence, building.Through);
        commands.SetOnline(buildingId, true);
        StatusChanged?.Invoke(buildingId);
        var hasSetup = await db.Setups.AnyAsync(s => s.BuildingId == buildingId, cancellationToken);
        await SyncAsync(buildingId, building.Through, resend: true, cancellationToken, needSetup: !hasSetup);
    }

    private async Task SetupAsync(string buildingId, SetupMessage setup, CancellationToken cancellationToken)
    {
        if (setup.V != DistrictJson.Version)
        {
            throw new InvalidDataException($"version {setup.V}; this district speaks {DistrictJson.Version}");
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FederationDb>();
        var building = await KnownAsync(db, buildingId, setup.BuildingId, cancellationToken);
        if (building is null)
        {
            return;
        }
        var json = Decompress(setup.ConfigurationGzip);
        // Only a configuration the rules can read, and of this building, replaces nothing and is kept.
        var configuration = Rules.Json.EventJson.DeserializeConfiguration(json);
        if (!string.Equals(configuration.BuildingId, buildingId, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"the setup is of building '{WireText.Printable(configuration.BuildingId)}'");
        }
        var stored = await db.Setups.FindAsync([buildingId], cancellationToken);
        if (stored is null)
        {
            db.Setups.Add(new DistrictBuildingSetup { BuildingId = buildingId, Json = json, CreatedAtUnixMs = setup.CreatedAtUnixMs });
        }
        else
        {
            if (stored.CreatedAtUnixMs != setup.CreatedAtUnixMs)
            {
                // A new store at the edge starts a new log: the old replica no longer matches it.
                LogSetupReplaced(buildingId);
            }
            stored.Json = json;
            stored.CreatedAtUnixMs = setup.CreatedAtUnixMs;
        }
        await db.SaveChangesAsync(cancellationToken);
        LogSetup(buildingId, configuration.Students.Count, json.Length);
        SetupReceived?.Invoke(buildingId);
    }

    /// <summary>Gunzips the setup, refusing more than <see cref="MaxSetupBytes"/> (a small message can unpack to gigabytes).</summary>
    private static string Decompress(string base64)
    {
        byte[] compressed;
        try
        {
            compressed = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new InvalidDataException("the setup is not base64");
        }
        using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(compressed), System.IO.Compression.CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        while ((n = gzip.Read(buffer)) > 0)
        {
            if (output.Length + n > MaxSetupBytes)
            {
                throw new InvalidDataException($"the setup unpacks to more than {MaxSetupBytes} bytes");
            }
            output.Write(buffer, 0, n);
        }
        return System.Text.Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length);
    }

    private async Task EventsAsync(string buildingId, EventBatch batch, CancellationToken cancellationToken)
    {
        Validate(batch);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FederationDb>();
        var building = await KnownAsync(db, buildingId, batch.BuildingId, cancellationToken);
        if (building is null)
        {
            return;
        }
        var first = batch.Events[0].Sequence;
        var last = batch.Events[^1].Sequence;
        var held = await db.Events.Where(e => e.BuildingId == buildingId && e.Sequence >= first && e.Sequence <= last)
            .Select(e => e.Sequence).ToHashSetAsync(cancellationToken);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var added = new List<DistrictEvent>();
        foreach (var e in batch.Events)
        {
            if (e.Sequence <= building.Through || held.Contains(e.Sequence))
            {
                continue;
            }
            var row = new DistrictEvent { BuildingId = buildingId, Sequence = e.Sequence, Type = e.Type, AtUnixMs = e.AtUnixMs, Json = e.Data.GetRawText(), ReceivedAtUnixMs = now };
            db.Events.Add(row);
            added.Add(row);
        }
        var gapBefore = first > building.Through + 1;
        if (!gapBefore && last > building.Through)
        {
            // The batch joins the held log: walk on through whatever arrived early and is already stored.
            var through = last;
            var later = await db.Events.Where(e => e.BuildingId == buildingId && e.Sequence > last)
                .OrderBy(e => e.Sequence).Select(e => e.Sequence).Take(100_000).ToListAsync(cancellationToken);
            foreach (var s in later)
            {
                if (s != through + 1)
                {
                    break;
                }
                through = s;
            }
            building.Through = through;
        }
        building.EdgeLastSequence = Math.Max(building.EdgeLastSequence, batch.LastSequence);
        building.Online = true;
        building.LastSeenAtUnixMs = now;
        await db.SaveChangesAsync(cancellationToken);
        Progressed(buildingId, building.Through);
        if (added.Count > 0)
        {
            Ingested?.Invoke(new IngestedEvents(buildingId, added, building.Through));
        }
        if (gapBefore)
        {
            LogGap(buildingId, building.Through, first);
        }
        var behind = building.Through < building.EdgeLastSequence;
        await SyncAsync(buildingId, building.Through, resend: gapBefore && ShouldAskAgain(buildingId, building.Through, now) && behind, cancellationToken);
    }

    private async Task StatusAsync(string buildingId, EdgeStatusMessage? status, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FederationDb>();
        var building = await db.Buildings.FindAsync([buildingId], cancellationToken);
        if (building is null)
        {
            return;
        }
        building.Online = status?.Online == true;
        building.LastSeenAtUnixMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        await db.SaveChangesAsync(cancellationToken);
        commands.SetOnline(buildingId, building.Online);
        StatusChanged?.Invoke(buildingId);
        LogStatus(buildingId, building.Online ? "online" : "offline");
    }

    private async Task<DistrictBuilding?> KnownAsync(FederationDb db, string topicBuilding, string claimed, CancellationToken cancellationToken)
    {
        if (!string.Equals(topicBuilding, claimed, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"the message says building '{WireText.Printable(claimed)}' on building {topicBuilding}'s topic");
        }
        var building = await db.Buildings.FindAsync([topicBuilding], cancellationToken);
        if (building is null || building.Revoked)
        {
            LogUnknownBuilding(topicBuilding);
            return null;
        }
        return building;
    }

    private bool ShouldAskAgain(string buildingId, long through, long nowMs)
    {
        if (_resendAsked.TryGetValue(buildingId, out var asked) && asked.Through == through && nowMs - asked.AtMs < ResendBackoff.TotalMilliseconds)
        {
            return false;
        }
        _resendAsked[buildingId] = (through, nowMs);
        return true;
    }

    private async Task SyncAsync(string buildingId, long through, bool resend, CancellationToken cancellationToken, bool needSetup = false)
    {
        if (_client is not { IsConnected: true } client)
        {
            return;
        }
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(DistrictTopics.For(buildingId, DistrictTopic.Sync))
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(new SyncMessage(DistrictJson.Version, through, resend, needSetup), DistrictJson.Default.SyncMessage))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await client.PublishAsync(message, cancellationToken);
    }

    private void Progressed(string buildingId, long through)
    {
        lock (_gate)
        {
            _through[buildingId] = through;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                var w = _waiters[i];
                if (string.Equals(w.Building, buildingId, StringComparison.Ordinal) && w.Sequence <= through)
                {
                    w.Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    private static void Validate(EventBatch batch)
    {
        if (batch.V != DistrictJson.Version)
        {
            throw new InvalidDataException($"version {batch.V}; this district speaks {DistrictJson.Version}");
        }
        if (batch.Events is not { Count: > 0 and <= MaxBatch })
        {
            throw new InvalidDataException($"a batch holds 1 to {MaxBatch} events");
        }
        long previous = 0;
        foreach (var e in batch.Events)
        {
            if (e.Sequence <= previous || string.IsNullOrEmpty(e.Type) || e.Type.Length > 64 || e.Data.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"event {e.Sequence}: sequences must rise, each event has a type and an object");
            }
            previous = e.Sequence;
        }
    }

    private static T Read<T>(byte[] payload, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(payload, type) ?? throw new InvalidDataException("empty message");

    private sealed record Inbound(string Topic, byte[] Payload, byte[]? Correlation);

    [LoggerMessage(1, LogLevel.Information, "District ingest connected to the district broker at {Host}:{Port}")]
    private partial void LogConnected(string host, int port);

    [LoggerMessage(2, LogLevel.Warning, "District ingest could not connect to the district broker ({Reason}); retrying in {Seconds} s")]
    private partial void LogConnectFailed(string reason, double seconds);

    [LoggerMessage(3, LogLevel.Warning, "Refused a federation message on '{Topic}': {Reason}")]
    private partial void LogBadMessage(string topic, string reason);

    [LoggerMessage(4, LogLevel.Error, "Could not take a federation message on '{Topic}' ({Reason}); the edge will resend it")]
    private partial void LogHandleFailed(string topic, string reason);

    [LoggerMessage(5, LogLevel.Warning, "Building {BuildingId} is not registered or is revoked; its message is ignored")]
    private partial void LogUnknownBuilding(string buildingId);

    [LoggerMessage(6, LogLevel.Information, "Building {BuildingId} said hello at sequence {EdgeLast}; the district holds through {Through}")]
    private partial void LogHello(string buildingId, long edgeLast, long through);

    [LoggerMessage(7, LogLevel.Warning, "Building {BuildingId}'s log is behind the district's: the edge is at {EdgeLast}, the district holds through {Through} (was the edge's store restored?)")]
    private partial void LogEdgeBehind(string buildingId, long edgeLast, long through);

    [LoggerMessage(8, LogLevel.Information, "Building {BuildingId}: a gap after {Through} (a batch from {First}); asking for a resend")]
    private partial void LogGap(string buildingId, long through, long first);

    [LoggerMessage(10, LogLevel.Information, "Building {BuildingId}'s setup stored: {Students} students, {Bytes} bytes of configuration")]
    private partial void LogSetup(string buildingId, int students, int bytes);

    [LoggerMessage(11, LogLevel.Warning, "Building {BuildingId} sent the setup of a new store; its replica is rebuilt from it")]
    private partial void LogSetupReplaced(string buildingId);

    [LoggerMessage(9, LogLevel.Information, "Building {BuildingId}'s edge is {State}")]
    private partial void LogStatus(string buildingId, string state);
}
