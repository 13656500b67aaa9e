using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using PassTrack.Contracts.Protocol;

namespace PassTrack.Edge.Tests.Kiosks;

/// <summary>
/// A kiosk on a real MQTT connection, as the firmware behaves: MQTT 5, client id = user name = kiosk id, a Last Will
/// saying offline, subscribed to its reply and command topics; scans and choices are requests with a response topic
/// and correlation data, and <see cref="ScanAsync"/> returns the reply that matches.
/// </summary>
public sealed class TestKiosk : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, TaskCompletionSource<DecisionReply>> _replies = new(StringComparer.Ordinal);
    private readonly List<KioskCommand> _commands = [];
    private readonly List<(Func<KioskCommand, bool> Match, TaskCompletionSource<KioskCommand> Done)> _waiting = [];
    private readonly Lock _gate = new();
    private int _counter;

    private TestKiosk(string id, IMqttClient client, TimeProvider clock)
    {
        Id = id;
        Client = client;
        Clock = clock;
        client.ApplicationMessageReceivedAsync += OnMessageAsync;
        client.DisconnectedAsync += e =>
        {
            Disconnected.TrySetResult(e);
            return Task.CompletedTask;
        };
    }

    public string Id { get; }

    /// <summary>The kiosk's clock: the edge's fake clock in these tests, as a real kiosk keeps time synchronised.</summary>
    public TimeProvider Clock { get; }

    public IMqttClient Client { get; }

    public TaskCompletionSource<MqttClientDisconnectedEventArgs> Disconnected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<KioskCommand> Commands
    {
        get
        {
            lock (_gate)
            {
                return [.. _commands];
            }
        }
    }

    /// <summary>Connects, subscribes to its reply and command topics, and says it is online.</summary>
    public static async Task<TestKiosk> ConnectAsync(int port, string id, string secret, TimeProvider clock, Action<MqttClientOptionsBuilder>? configure = null, bool subscribe = true, bool online = true)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var kiosk = new TestKiosk(id, client, clock);
        var builder = Options(port, id, secret);
        configure?.Invoke(builder);
        using var timeout = new CancellationTokenSource(Timeout);
        var connected = await client.ConnectAsync(builder.Build(), timeout.Token);
        Assert.Equal(MqttClientConnectResultCode.Success, connected.ResultCode);
        if (subscribe)
        {
            var result = await client.SubscribeAsync(
                new MqttClientSubscribeOptionsBuilder()
                    .WithTopicFilter(Topics.Reply(id), MqttQualityOfServiceLevel.AtLeastOnce)
                    .WithTopicFilter(Topics.Command(id), MqttQualityOfServiceLevel.AtLeastOnce)
                    .Build(),
                timeout.Token);
            Assert.All(result.Items, i => Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, i.ResultCode));
        }
        if (online)
        {
            await kiosk.PublishAsync(Topics.Status(id), Json(new KioskStatusMessage(Protocol.Version, KioskState.Online, "test-1.0", clock.GetUtcNow()), ProtocolJson.Default.KioskStatusMessage), retain: true);
        }
        return kiosk;
    }

    public static MqttClientOptionsBuilder Options(int port, string id, string secret) => new MqttClientOptionsBuilder()
        .WithTcpServer("127.0.0.1", port)
        .WithClientId(id)
        .WithCredentials(id, secret)
        .WithProtocolVersion(MqttProtocolVersion.V500)
        .WithCleanStart(true)
        .WithTimeout(Timeout)
        .WithUserProperty(Protocol.FirmwareProperty, Encoding.UTF8.GetBytes("test-1.0").AsMemory())
        .WithWillTopic(Topics.Status(id))
        .WithWillPayload(Json(new KioskStatusMessage(Protocol.Version, KioskState.Offline, "test-1.0", DateTimeOffset.UnixEpoch), ProtocolJson.Default.KioskStatusMessage))
        .WithWillRetain(true)
        .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);

    /// <summary>The connect result code a login gets (Success, or why it was refused).</summary>
    public static async Task<MqttClientConnectResultCode> TryConnectAsync(MqttClientOptions options)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            var result = await client.ConnectAsync(options, timeout.Token);
            if (client.IsConnected)
            {
                await client.DisconnectAsync(new MqttClientDisconnectOptions(), timeout.Token);
            }
            return result.ResultCode;
        }
        catch (MqttConnectingFailedException)
        {
            return MqttClientConnectResultCode.UnspecifiedError;
        }
    }

    public string NextScanId() => $"{Id}-scan-{Interlocked.Increment(ref _counter)}";

    public Task<DecisionReply> ScanAsync(string value, CredentialType kind = CredentialType.Card, string? scanId = null, DateTimeOffset? scannedAt = null, bool replay = false)
    {
        var id = scanId ?? NextScanId();
        return RequestAsync(Topics.Scan(Id), Json(new ScanRequest(Protocol.Version, id, kind, value, scannedAt ?? Clock.GetUtcNow(), replay), ProtocolJson.Default.ScanRequest), id);
    }

    public Task<DecisionReply> ChooseAsync(string forScan, string? destinationId, bool joinQueue = true, bool leaveLine = false, string? scanId = null)
    {
        var id = scanId ?? NextScanId();
        return RequestAsync(Topics.Choose(Id), Json(new ChooseRequest(Protocol.Version, id, forScan, destinationId, Clock.GetUtcNow(), joinQueue, leaveLine), ProtocolJson.Default.ChooseRequest), id);
    }

    public Task<DecisionReply> StaffAsync(string forScan, StaffAction action, string? studentNumber = null, string? card = null, string? scanId = null)
    {
        var id = scanId ?? NextScanId();
        var request = new StaffActionRequest(Protocol.Version, id, forScan, action, Clock.GetUtcNow()) { StudentNumber = studentNumber, Card = card };
        return RequestAsync(Topics.Staff(Id), Json(request, ProtocolJson.Default.StaffActionRequest), id);
    }

    /// <summary>Publishes a request (QoS 1, response topic = own reply topic) and waits for the reply with its correlation data.</summary>
    public async Task<DecisionReply> RequestAsync(string topic, byte[] payload, string correlation)
    {
        var reply = _replies.GetOrAdd(correlation, _ => new TaskCompletionSource<DecisionReply>(TaskCreationOptions.RunContinuationsAsynchronously));
        await PublishAsync(topic, payload, correlation: correlation);
        return await reply.Task.WaitAsync(Timeout);
    }

    /// <summary>The reply with this correlation, once it arrives (for requests sent with <see cref="PublishAsync"/>).</summary>
    public Task<DecisionReply> ReplyTo(string correlation) =>
        _replies.GetOrAdd(correlation, _ => new TaskCompletionSource<DecisionReply>(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(Timeout);

    public async Task<MqttClientPublishResult> PublishAsync(string topic, byte[] payload, string? correlation = null, bool retain = false)
    {
        var builder = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain);
        if (correlation is not null)
        {
            builder = builder.WithResponseTopic(Topics.Reply(Id)).WithCorrelationData(Encoding.UTF8.GetBytes(correlation));
        }
        using var timeout = new CancellationTokenSource(Timeout);
        return await Client.PublishAsync(builder.Build(), timeout.Token);
    }

    /// <summary>The first command (already received or still to come) that matches.</summary>
    public Task<KioskCommand> CommandAsync(Func<KioskCommand, bool> match)
    {
        lock (_gate)
        {
            if (_commands.FirstOrDefault(match) is { } seen)
            {
                return Task.FromResult(seen);
            }
            var waiter = new TaskCompletionSource<KioskCommand>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add((match, waiter));
            return waiter.Task.WaitAsync(Timeout);
        }
    }

    public Task<KioskCommand> CommandAsync(CommandType type) => CommandAsync(c => c.Type == type);

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var message = e.ApplicationMessage;
        if (message.Topic == Topics.Reply(Id) && Read(message.Payload, ProtocolJson.Default.DecisionReply) is { } reply)
        {
            var correlation = message.CorrelationData is { Length: > 0 } c ? Encoding.UTF8.GetString(c) : reply.ScanId;
            _replies.GetOrAdd(correlation, _ => new TaskCompletionSource<DecisionReply>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(reply);
        }
        else if (message.Topic == Topics.Command(Id) && Read(message.Payload, ProtocolJson.Default.KioskCommand) is { } command)
        {
            lock (_gate)
            {
                _commands.Add(command);
                foreach (var waiter in _waiting.Where(w => w.Match(command)).ToList())
                {
                    _waiting.Remove(waiter);
                    waiter.Done.TrySetResult(command);
                }
            }
        }
        return Task.CompletedTask;
    }

    public static byte[] Json<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) => JsonSerializer.SerializeToUtf8Bytes(value, type);

    private static T? Read<T>(ReadOnlySequence<byte> payload, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        var reader = new Utf8JsonReader(payload);
        return JsonSerializer.Deserialize(ref reader, type);
    }

    public async ValueTask DisposeAsync()
    {
        if (Client.IsConnected)
        {
            try
            {
                using var timeout = new CancellationTokenSource(Timeout);
                await Client.DisconnectAsync(new MqttClientDisconnectOptions(), timeout.Token);
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException)
            {
            }
        }
        Client.Dispose();
    }
}
