using System.Buffers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using PassTrack.Contracts.District;
using PassTrack.Edge.Events;
using PassTrack.Edge.Passes;
using PassTrack.Edge.Store;

namespace PassTrack.Edge.Federation;

/// <summary>
/// The building's link to the district: it dials out to the district broker, says hello with its newest sequence
/// number, and sends its event log from wherever the district says it holds it without a gap, in batches, at most
/// <see cref="DistrictOptions.Window"/> events ahead of the district's acknowledgement. Events are read from the store,
/// so an outage of any length ends with the district caught up. Commands from the dashboard are run through the
/// edge's own API and answered. Decisions never wait on this link.
/// </summary>
public sealed partial class DistrictLink(
    BuildingWriter writer,
    EventFeed feed,
    DistrictCommandRunner runner,
    IServiceScopeFactory scopes,
    IOptions<DistrictOptions> options,
    IOptions<EdgeOptions> edgeOptions,
    TimeProvider time,
    ILogger<DistrictLink> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Lock _gate = new();
    private long? _cursor;
    private long _acknowledged;
    private IMqttClient? _client;

    /// <summary>The district holds the log without a gap through this sequence number, as it last said.</summary>
    public long Acknowledged => Volatile.Read(ref _acknowledged);

    public bool Connected => _client?.IsConnected == true;

    private string BuildingId => edgeOptions.Value.BuildingId;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        await writer.Ready.WaitAsync(stoppingToken);
        using var client = new MqttClientFactory().CreateMqttClient();
        _client = client;
        client.ApplicationMessageReceivedAsync += OnMessageAsync;
        client.DisconnectedAsync += _ =>
        {
            Wake();
            return Task.CompletedTask;
        };
        var listening = FollowFeedAsync(stoppingToken);
        var delay = options.Value.MinReconnectDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ConnectAsync(client, stoppingToken);
                delay = options.Value.MinReconnectDelay;
                await SendWhileConnectedAsync(client, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or OperationCanceledException or TimeoutException)
            {
                LogLinkDown(options.Value.Host!, options.Value.Port, e.Message, delay.TotalSeconds);
            }
            lock (_gate)
            {
                _cursor = null;
            }
            // Back off with jitter, so a district restart is not met by every building at the same instant.
            var wait = delay * (0.75 + Random.Shared.NextDouble() * 0.5);
            await Task.Delay(wait, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            delay = TimeSpan.FromTicks(Math.Min(options.Value.MaxReconnectDelay.Ticks, delay.Ticks * 2));
        }
        if (client.IsConnected)
        {
            await Publish(client, DistrictTopic.Status, Status(false), retain: true, CancellationToken.None);
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None);
        }
        await listening.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task ConnectAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(o.Host, o.Port)
            .WithClientId(BuildingId)
            .WithCredentials(BuildingId, o.Secret)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            // Nothing is lost with a clean session: the district says where to resume, and stale commands must not run.
            .WithCleanStart(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithWillTopic(DistrictTopics.For(BuildingId, DistrictTopic.Status))
            .WithWillPayload(Status(false))
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (o.UseTls)
        {
            builder.WithTlsOptions(t => t.UseTls());
        }
        var result = await client.ConnectAsync(builder.Build(), cancellationToken);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"refused: {result.ResultCode}");
        }
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(DistrictTopics.For(BuildingId, DistrictTopic.Sync), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(DistrictTopics.For(BuildingId, DistrictTopic.Commands), MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), cancellationToken);
        await Publish(client, DistrictTopic.Status, Status(true), retain: true, cancellationToken);
        var hello = new HelloMessage(DistrictJson.Version, BuildingId, edgeOptions.Value.BuildingName, writer.LastSequence, typeof(DistrictLink).Assembly.GetName().Version?.ToString() ?? "0");
        await Publish(client, DistrictTopic.Hello, JsonSerializer.SerializeToUtf8Bytes(hello, DistrictJson.Default.HelloMessage), retain: false, cancellationToken);
        LogLinkUp(o.Host!, o.Port, writer.LastSequence);
    }

    /// <summary>Sends batches while there is something the district lacks and room in the window; otherwise waits to be woken.</summary>
    private async Task SendWhileConnectedAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        var o = options.Value;
        while (client.IsConnected)
        {
            long? cursor;
            lock (_gate)
            {
                cursor = _cursor;
            }
            if (cursor is { } from && from < writer.LastSequence && from - Acknowledged < o.Window)
            {
                var rows = await ReadAfterAsync(from, o.BatchSize, cancellationToken);
                if (rows.Count > 0)
                {
                    var batch = new EventBatch(DistrictJson.Version, BuildingId, [.. rows.Select(ToFederated)], writer.LastSequence);
                    await Publish(client, DistrictTopic.Events, JsonSerializer.SerializeToUtf8Bytes(batch, DistrictJson.Default.EventBatch), retain: false, cancellationToken);
                    lock (_gate)
                    {
                        // A resend asked for meanwhile moved the cursor back: keep the district's word.
                        if (_cursor == from)
                        {
                            _cursor = rows[^1].Sequence;
                        }
                    }
                    continue;
                }
            }
            // Woken by a new event, the district's word, or a lost connection; the timer is a safety net.
            using var safetyNet = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(safetyNet.Token, cancellationToken);
            try
            {
                await _wake.WaitAsync(either.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
        }
    }

    private async Task<List<EventRow>> ReadAfterAsync(long after, int count, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EdgeDb>();
        return await db.Events.AsNoTracking().Where(e => e.Sequence > after).OrderBy(e => e.Sequence).Take(count).ToListAsync(cancellationToken);
    }

    private static FederatedEvent ToFederated(EventRow row)
    {
        using var document = JsonDocument.Parse(row.Json);
        return new FederatedEvent(row.Sequence, row.Type, row.AtUnixMs, document.RootElement.Clone());
    }

    private async Task FollowFeedAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var reader = feed.Listen(buffer: 1000);
            try
            {
                while (await reader.WaitToReadAsync(cancellationToken))
                {
                    while (reader.TryRead(out _))
                    {
                    }
                    Wake();
                }
            }
            catch (FeedOverflowException)
            {
                // Fell behind: the store has every event; just listen again.
                Wake();
            }
            catch (OperationCanceledException)
            {
                return;
            }
            finally
            {
                feed.Stop(reader);
            }
        }
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var message = e.ApplicationMessage;
        try
        {
            if (!DistrictTopics.TryParse(message.Topic, out var building, out var kind) || !string.Equals(building, BuildingId, StringComparison.Ordinal))
            {
                return Task.CompletedTask;
            }
            if (kind == DistrictTopic.Sync && JsonSerializer.Deserialize(message.Payload.ToArray(), DistrictJson.Default.SyncMessage) is { } sync)
            {
                OnSync(sync);
                if (sync.NeedSetup)
                {
                    // Off the network thread: the setup is read from the store and compressed.
                    _ = Task.Run(SendSetupAsync, CancellationToken.None);
                }
            }
            else if (kind == DistrictTopic.Commands && JsonSerializer.Deserialize(message.Payload.ToArray(), DistrictJson.Default.DistrictCommand) is { } command)
            {
                // Off the network thread: a command may wait for the building's writer.
                _ = Task.Run(() => RunCommandAsync(command, message.ResponseTopic, message.CorrelationData), CancellationToken.None);
            }
        }
        catch (JsonException ex)
        {
            LogBadMessage(message.Topic, ex.Message);
        }
        return Task.CompletedTask;
    }

    private void OnSync(SyncMessage sync)
    {
        lock (_gate)
        {
            if (sync.Resend)
            {
                if (sync.Through > writer.LastSequence)
                {
                    LogDistrictAhead(sync.Through, writer.LastSequence);
                }
                _cursor = Math.Min(sync.Through, writer.LastSequence);
            }
            Volatile.Write(ref _acknowledged, sync.Resend ? sync.Through : Math.Max(Acknowledged, sync.Through));
        }
        Wake();
    }

    /// <summary>The building's starting configuration, for the district's replica: the store's setup row, compressed.</summary>
    private async Task SendSetupAsync()
    {
        if (_client is not { IsConnected: true } client)
        {
            return;
        }
        try
        {
            BuildingSetupRow setup;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<EdgeDb>();
                setup = await db.Setup.AsNoTracking().SingleAsync();
            }
            var json = System.Text.Encoding.UTF8.GetBytes(setup.ConfigurationJson);
            using var compressed = new MemoryStream();
            await using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            {
                await gzip.WriteAsync(json);
            }
            var message = new SetupMessage(DistrictJson.Version, BuildingId, setup.CreatedAtUnixMs, Convert.ToBase64String(compressed.GetBuffer(), 0, (int)compressed.Length));
            await Publish(client, DistrictTopic.Setup, JsonSerializer.SerializeToUtf8Bytes(message, DistrictJson.Default.SetupMessage), retain: false, CancellationToken.None);
            LogSetupSent(json.Length, compressed.Length);
        }
        catch (Exception e) when (e is InvalidOperationException or MQTTnet.Exceptions.MqttCommunicationException or IOException)
        {
            // The district asks again on the next hello.
            LogSetupFailed(e.Message);
        }
    }

    private async Task RunCommandAsync(DistrictCommand command, string? responseTopic, byte[]? correlation)
    {
        if (_client is not { } client)
        {
            return;
        }
        CommandResult result;
        try
        {
            result = await runner.RunAsync(command, CancellationToken.None);
        }
        catch (Exception e) when (e is InvalidOperationException or JsonException or BadHttpRequestException)
        {
            result = new CommandResult(DistrictJson.Version, command.CommandId, StatusCodes.Status500InternalServerError, null);
            LogCommandFailed(command.Method, command.Path, e.Message);
        }
        LogCommand(command.Method, command.Path, command.Actor.Name, command.Actor.Role, result.Status);
        var topic = DistrictTopics.For(BuildingId, DistrictTopic.Results);
        if (!string.Equals(responseTopic, topic, StringComparison.Ordinal) && responseTopic is not null)
        {
            LogBadMessage(responseTopic, "a command's response topic must be the building's results topic");
        }
        var reply = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(JsonSerializer.SerializeToUtf8Bytes(result, DistrictJson.Default.CommandResult))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithCorrelationData(correlation)
            .Build();
        if (client.IsConnected)
        {
            await client.PublishAsync(reply, CancellationToken.None);
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    private byte[] Status(bool online) =>
        JsonSerializer.SerializeToUtf8Bytes(new EdgeStatusMessage(DistrictJson.Version, online, time.GetUtcNow().ToUnixTimeMilliseconds()), DistrictJson.Default.EdgeStatusMessage);

    private async Task Publish(IMqttClient client, DistrictTopic topic, byte[] payload, bool retain, CancellationToken cancellationToken)
    {
        var result = await client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(DistrictTopics.For(BuildingId, topic))
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build(), cancellationToken);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"the district broker refused a message on {topic}: {result.ReasonCode} {result.ReasonString}");
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    [LoggerMessage(20, LogLevel.Information, "Sent the building's setup to the district ({Bytes} bytes of configuration, {Compressed} compressed)")]
    private partial void LogSetupSent(int bytes, long compressed);

    [LoggerMessage(21, LogLevel.Warning, "Could not send the building's setup to the district ({Reason}); it is sent again when the district asks")]
    private partial void LogSetupFailed(string reason);

    [LoggerMessage(1, LogLevel.Information, "Linked to the district at {Host}:{Port}; the building's log is at {LastSequence}")]
    private partial void LogLinkUp(string host, int port, long lastSequence);

    [LoggerMessage(2, LogLevel.Warning, "District link to {Host}:{Port} down ({Reason}); retrying in about {Seconds} s. The building keeps deciding.")]
    private partial void LogLinkDown(string host, int port, string reason, double seconds);

    [LoggerMessage(3, LogLevel.Warning, "Refused a district message on '{Topic}': {Reason}")]
    private partial void LogBadMessage(string topic, string reason);

    [LoggerMessage(4, LogLevel.Warning, "The district says it holds through {Through}, past this building's log at {LastSequence}")]
    private partial void LogDistrictAhead(long through, long lastSequence);

    [LoggerMessage(5, LogLevel.Information, "District command {Method} {Path} for {Actor} ({Role}): {Status}")]
    private partial void LogCommand(string method, string path, string actor, string role, int status);

    [LoggerMessage(6, LogLevel.Error, "District command {Method} {Path} failed: {Reason}")]
    private partial void LogCommandFailed(string method, string path, string reason);
}
