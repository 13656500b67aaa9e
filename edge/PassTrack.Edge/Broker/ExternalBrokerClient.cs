using System.Diagnostics;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using PassTrack.Contracts.Protocol;
using PassTrack.Edge.Kiosks;
using PassTrack.Edge.Passes;

namespace PassTrack.Edge.Broker;

/// <summary>
/// The edge as a client of an external broker (Mosquitto, a broker cluster): it subscribes to every kiosk's request,
/// status and telemetry topics and runs the same <see cref="KioskProtocol"/> as the embedded broker. Kiosk
/// authentication and topic access are the broker's (a password file and an ACL pattern, see docs/protocol.md). Its
/// session is persistent and it acknowledges a kiosk message only once the decision is committed and the reply sent,
/// so a crash between the two leaves the message with the broker, to be delivered again and answered from the store.
/// </summary>
public sealed partial class ExternalBrokerClient(
    BuildingWriter writer,
    KioskProtocol protocol,
    IOptions<EdgeOptions> options,
    IOptions<ExternalBrokerOptions> external,
    TimeProvider time,
    ILogger<ExternalBrokerClient> logger) : BackgroundService, IKioskTransport
{
    private static readonly string[] Subscriptions =
    [
        Topics.KiosksRoot + "+/scan", Topics.KiosksRoot + "+/choose", Topics.KiosksRoot + "+/status", Topics.KiosksRoot + "+/telemetry", Topics.KiosksRoot + "+/update",
    ];

    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient(new MqttLogBridge(logger));
    private TaskCompletionSource _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Ready => _ready.Task;

    public bool SeesConnections => false;

    /// <summary>Raised after each successful connection and subscription (tests wait on it).</summary>
    public event Action? Connected;

    /// <summary>Raised when a connection attempt failed, before the back-off wait.</summary>
    public event Action? ConnectFailed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await writer.Ready.WaitAsync(stoppingToken);
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += OnDisconnectedAsync;
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _lost, lost);
            try
            {
                await ConnectAsync(stoppingToken);
                delay = TimeSpan.FromSeconds(1);
                _ready.TrySetResult();
                Connected?.Invoke();
                await lost.Task.WaitAsync(stoppingToken);
                ConnectionLost(logger);
            }
            catch (Exception ex) when (ex is MqttCommunicationException or OperationCanceledException && !stoppingToken.IsCancellationRequested)
            {
                CouldNotConnect(logger, options.Value.Mqtt.ExternalHost, options.Value.Mqtt.ExternalPort, delay.TotalSeconds, ex.Message);
                ConnectFailed?.Invoke();
                await Task.Delay(delay, time, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, external.Value.ExternalReconnectMaxDelay.Ticks));
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await protocol.DrainAsync(TimeSpan.FromSeconds(5));
        await base.StopAsync(cancellationToken);
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), CancellationToken.None);
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var mqtt = options.Value.Mqtt;
        var settings = external.Value;
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(mqtt.ExternalHost, mqtt.ExternalPort)
            .WithClientId(settings.ExternalClientId ?? mqtt.ExternalUsername ?? $"passtrack-edge-{options.Value.BuildingId}")
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(settings.ExternalSessionExpirySeconds)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (!string.IsNullOrEmpty(mqtt.ExternalUsername))
        {
            builder = builder.WithCredentials(mqtt.ExternalUsername, mqtt.ExternalPassword);
        }
        if (settings.ExternalUseTls)
        {
            builder = builder.WithTlsOptions(o => o.UseTls());
        }
        await _client.ConnectAsync(builder.Build(), cancellationToken);
        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var topic in Subscriptions)
        {
            subscribe = subscribe.WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce);
        }
        var result = await _client.SubscribeAsync(subscribe.Build(), cancellationToken);
        var refused = result.Items.FirstOrDefault(i => i.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2);
        if (refused is not null)
        {
            throw new MqttCommunicationException($"The broker refused the edge's subscription to {refused.TopicFilter.Topic}: {refused.ResultCode}. Check its ACL.");
        }
        ConnectedToBroker(logger, mqtt.ExternalHost, mqtt.ExternalPort);
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var message = e.ApplicationMessage;
        // The broker's ACL made sure only kiosk X could publish under X's topics: the topic names the sender.
        if (!Topics.TryParse(message.Topic, out var kioskId, out _) || message.Retain && !message.Topic.EndsWith("/status", StringComparison.Ordinal))
        {
            return Task.CompletedTask;
        }
        var admission = protocol.Accept(
            new KioskInbound(kioskId, message.Topic, message.Payload, message.ResponseTopic, message.CorrelationData?.ToArray(), Stopwatch.GetTimestamp()),
            this);
        if (admission.Work is { IsCompleted: false } work)
        {
            e.AutoAcknowledge = false;
            _ = AcknowledgeAfterAsync(e, work);
        }
        return Task.CompletedTask;
    }

    private static async Task AcknowledgeAfterAsync(MqttApplicationMessageReceivedEventArgs e, Task work)
    {
        await work.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        if (work.IsCompletedSuccessfully)
        {
            try
            {
                await e.AcknowledgeAsync(CancellationToken.None);
            }
            catch (MqttCommunicationException)
            {
                // The connection dropped first: the broker delivers it again and the store answers it.
            }
        }
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        Volatile.Read(ref _lost).TrySetResult();
        return Task.CompletedTask;
    }

    public async Task PublishAsync(KioskOutbound message, CancellationToken cancellationToken)
    {
        var outbound = new MqttApplicationMessageBuilder()
            .WithTopic(message.Topic)
            .WithPayload(message.Payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(message.Retain)
            .WithContentType("application/json")
            .WithCorrelationData(message.CorrelationData)
            .Build();
        try
        {
            await _client.PublishAsync(outbound, cancellationToken);
        }
        catch (MqttCommunicationException ex)
        {
            // A reply lost here is not lost for the kiosk: it sends the scan again and the store answers it.
            PublishFailed(logger, message.Topic, ex.Message);
        }
    }

    /// <summary>Nothing to do from here: the broker's password file decides who connects (remove the kiosk there).</summary>
    public Task DisconnectAsync(string kioskId, CancellationToken cancellationToken)
    {
        RevokeAtBroker(logger, kioskId);
        return Task.CompletedTask;
    }

    public override void Dispose()
    {
        _client.Dispose();
        base.Dispose();
    }

    [LoggerMessage(220, LogLevel.Information, "Connected to the external kiosk broker {Host}:{Port}")]
    private static partial void ConnectedToBroker(ILogger logger, string host, int port);

    [LoggerMessage(221, LogLevel.Warning, "Could not connect to the external kiosk broker {Host}:{Port}; retrying in {Seconds} s: {Reason}")]
    private static partial void CouldNotConnect(ILogger logger, string host, int port, double seconds, string reason);

    [LoggerMessage(222, LogLevel.Warning, "Lost the connection to the external kiosk broker; reconnecting")]
    private static partial void ConnectionLost(ILogger logger);

    [LoggerMessage(223, LogLevel.Warning, "Publishing to {Topic} failed: {Reason}")]
    private static partial void PublishFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(224, LogLevel.Warning, "Kiosk {Kiosk} was revoked: remove it from the external broker's password file to cut it off")]
    private static partial void RevokeAtBroker(ILogger logger, string kiosk);
}
