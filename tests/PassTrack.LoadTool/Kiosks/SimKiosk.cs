using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using PassTrack.Contracts.Protocol;

namespace PassTrack.LoadTool.Kiosks;

/// <summary>
/// One simulated kiosk: its own MQTT 5 connection (client id = user name = kiosk id, its own secret), subscribed to its
/// reply and command topics, sending scans and choices as MQTT 5 requests (response topic, correlation data = scan id)
/// at QoS 1, and matching each reply to its request by the correlation data.
/// </summary>
public sealed class SimKiosk(string id, string secret, int index) : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ConcurrentDictionary<string, Request> _inFlight = new(StringComparer.Ordinal);
    private readonly string _replyTopic = Topics.Reply(id);
    private readonly string _commandTopic = Topics.Command(id);
    private readonly TaskCompletionSource<KioskCommand> _configured = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _counter;

    public string Id { get; } = id;

    public string Secret { get; } = secret;

    public int Index { get; } = index;

    /// <summary>The room this kiosk is (to be) bound to.</summary>
    public string? RoomId { get; set; }

    public bool IsConnected => _client.IsConnected;

    public int InFlight => _inFlight.Count;

    /// <summary>Completes with the first Configure command the edge sends (after approval, or on connecting approved).</summary>
    public Task<KioskCommand> Configured => _configured.Task;

    /// <summary>Called on the MQTT receive thread for every reply: the request, the reply (null if unreadable), and when it arrived.</summary>
    public Action<SimKiosk, Request, DecisionReply?, long>? Replied { get; set; }

    /// <summary>Called when the connection drops.</summary>
    public Action<SimKiosk, string>? Dropped { get; set; }

    /// <summary>Connects; returns null when connected, otherwise the reason the broker gave.</summary>
    public async Task<string?> ConnectAsync(MqttEndpoint broker, string? enrollmentToken, CancellationToken cancellationToken)
    {
        var offline = JsonSerializer.SerializeToUtf8Bytes(new KioskStatusMessage(Protocol.Version, KioskState.Offline, Firmware, default), ProtocolJson.Default.KioskStatusMessage);
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(broker.Host, broker.Port)
            .WithClientId(Id)
            .WithCredentials(Id, Secret)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(60))
            .WithTimeout(TimeSpan.FromSeconds(60))
            .WithUserProperty(Protocol.FirmwareProperty, Encoding.UTF8.GetBytes(Firmware).AsMemory())
            .WithWillTopic(Topics.Status(Id))
            .WithWillPayload(offline)
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (!string.IsNullOrEmpty(enrollmentToken))
        {
            builder = builder.WithUserProperty(Protocol.EnrollmentTokenProperty, Encoding.UTF8.GetBytes(enrollmentToken).AsMemory());
        }
        _client.ApplicationMessageReceivedAsync -= OnMessageAsync;
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync -= OnDisconnectedAsync;
        MqttClientConnectResult result;
        try
        {
            result = await _client.ConnectAsync(builder.Build(), cancellationToken);
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException ex)
        {
            return ex.Message;
        }
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            return $"{result.ResultCode} {result.ReasonString}";
        }
        _client.DisconnectedAsync += OnDisconnectedAsync;
        var subscribe = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(_replyTopic, MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(_commandTopic, MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        var subscribed = await _client.SubscribeAsync(subscribe, cancellationToken);
        var refused = subscribed.Items.FirstOrDefault(i => (int)i.ResultCode > 2);
        if (refused is not null)
        {
            return $"subscription to {refused.TopicFilter.Topic} refused: {refused.ResultCode}";
        }
        return null;
    }

    /// <summary>Publishes the retained Online status (what a real kiosk does right after connecting).</summary>
    public Task PublishOnlineAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        PublishAsync(Topics.Status(Id), JsonSerializer.SerializeToUtf8Bytes(new KioskStatusMessage(Protocol.Version, KioskState.Online, Firmware, now), ProtocolJson.Default.KioskStatusMessage), retain: true, cancellationToken);

    /// <summary>Publishes one heartbeat.</summary>
    public Task PublishTelemetryAsync(long uptimeSeconds, DateTimeOffset now, CancellationToken cancellationToken) =>
        PublishAsync(Topics.Telemetry(Id), JsonSerializer.SerializeToUtf8Bytes(new TelemetryMessage(Protocol.Version, uptimeSeconds, 0, Firmware, ReaderHealth.Ok, now), ProtocolJson.Default.TelemetryMessage), retain: false, cancellationToken);

    /// <summary>A scan id unique to this kiosk (and to this run, through <paramref name="run"/>).</summary>
    public string NextScanId(string run) => $"{run}-{Interlocked.Increment(ref _counter)}";

    /// <summary>Sends a request. Failures are reported through the returned task; the reply comes to <see cref="Replied"/>.</summary>
    public async Task SendAsync(Request request, CancellationToken cancellationToken)
    {
        _inFlight[request.ScanId] = request;
        request.SentTicks = Stopwatch.GetTimestamp();
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(Topics.For(Id, request.Topic))
            .WithPayload(request.Payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithResponseTopic(_replyTopic)
            .WithCorrelationData(Encoding.UTF8.GetBytes(request.ScanId))
            .Build();
        try
        {
            var result = await _client.PublishAsync(message, cancellationToken);
            if (!result.IsSuccess)
            {
                _inFlight.TryRemove(request.ScanId, out _);
                throw new InvalidOperationException($"publish refused: {result.ReasonCode} {result.ReasonString}");
            }
        }
        catch (Exception ex) when (ex is not InvalidOperationException)
        {
            _inFlight.TryRemove(request.ScanId, out _);
            throw;
        }
    }

    /// <summary>Takes out the requests sent before <paramref name="sentBefore"/> that never got a reply.</summary>
    public IEnumerable<Request> TakeExpired(long sentBefore)
    {
        foreach (var (key, request) in _inFlight)
        {
            if (request.SentTicks != 0 && request.SentTicks < sentBefore && _inFlight.TryRemove(key, out var expired))
            {
                yield return expired;
            }
        }
    }

    private async Task PublishAsync(string topic, byte[] payload, bool retain, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build();
        await _client.PublishAsync(message, cancellationToken);
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var arrived = Stopwatch.GetTimestamp();
        var message = e.ApplicationMessage;
        if (string.Equals(message.Topic, _replyTopic, StringComparison.Ordinal))
        {
            var scanId = message.CorrelationData is { Length: > 0 } c ? Encoding.UTF8.GetString(c) : null;
            if (scanId is not null && _inFlight.TryRemove(scanId, out var request))
            {
                try
                {
                    Replied?.Invoke(this, request, Read(message.Payload, ProtocolJson.Default.DecisionReply), arrived);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    Console.Error.WriteLine($"{Id}: handling the reply to {request.ScanId} failed: {ex}");
                    request.Done?.TrySetResult();
                }
            }
        }
        else if (string.Equals(message.Topic, _commandTopic, StringComparison.Ordinal)
            && Read(message.Payload, ProtocolJson.Default.KioskCommand) is { Type: CommandType.Configure } command)
        {
            _configured.TrySetResult(command);
        }
        return Task.CompletedTask;
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        Dropped?.Invoke(this, $"{e.Reason} {e.ReasonString}".Trim());
        return Task.CompletedTask;
    }

    private static T? Read<T>(ReadOnlySequence<byte> payload, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            return JsonSerializer.Deserialize(ref reader, type);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    public async Task DisconnectAsync()
    {
        _client.DisconnectedAsync -= OnDisconnectedAsync;
        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build());
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException)
            {
                // Already gone.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DisconnectAsync();
        _client.Dispose();
    }

    public const string Firmware = "loadtool-1";
}
