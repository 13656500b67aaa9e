using PassTrack.Contracts;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet.Server;
using PassTrack.Contracts.District;

namespace PassTrack.Dashboard.Federation;

/// <summary>
/// The district broker the edges dial out to, embedded in the dashboard by default. Each edge signs in as its building
/// (client id and user name the building id, password the building's secret) and may publish only its own hello,
/// events, status and results, and subscribe only to its own sync and commands. The district's own ingest signs in
/// with a secret made at start that never leaves this process.
/// </summary>
public sealed partial class DistrictBroker(BuildingRegistry registry, IOptions<DistrictOptions> options, ILogger<DistrictBroker> logger) : IHostedService, IDisposable
{
    /// <summary>The ingest's client id: a colon is never in a building id, so no edge can take it.</summary>
    public const string IngestClientId = "district:ingest";

    private static readonly DistrictTopic[] EdgePublishes = [DistrictTopic.Hello, DistrictTopic.Events, DistrictTopic.Status, DistrictTopic.Results, DistrictTopic.Setup];
    private static readonly DistrictTopic[] EdgeSubscribes = [DistrictTopic.Sync, DistrictTopic.Commands];

    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private MqttServer? _server;

    /// <summary>The ingest's password on this broker, for this process's lifetime.</summary>
    public string IngestSecret { get; } = WireText.NewSecret();

    public Task Ready => _ready.Task;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var broker = options.Value.Broker;
        if (!broker.Embedded)
        {
            _ready.TrySetResult();
            return;
        }
        var serverOptions = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Parse(broker.BindAddress))
            .WithDefaultEndpointPort(broker.Port)
            .WithDefaultCommunicationTimeout(TimeSpan.FromSeconds(10))
            .WithKeepAlive()
            .WithMaxPendingMessagesPerClient(10_000)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(serverOptions);
        _server.ValidatingConnectionAsync += ValidateAsync;
        _server.InterceptingPublishAsync += InterceptPublishAsync;
        _server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        _server.ClientDisconnectedAsync += e =>
        {
            LogDisconnected(e.ClientId, e.DisconnectType.ToString());
            return Task.CompletedTask;
        };
        await _server.StartAsync();
        LogStarted(broker.BindAddress, broker.Port);
        _ready.TrySetResult();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync();
        }
    }

    private async Task ValidateAsync(ValidatingConnectionEventArgs e)
    {
        if (e.ProtocolVersion != MqttProtocolVersion.V500)
        {
            e.ReasonCode = MqttConnectReasonCode.UnsupportedProtocolVersion;
            LogRefused(WireText.Printable(e.ClientId), "not MQTT 5", e.RemoteEndPoint?.ToString());
            return;
        }
        if (string.Equals(e.ClientId, IngestClientId, StringComparison.Ordinal))
        {
            var ok = string.Equals(e.UserName, IngestClientId, StringComparison.Ordinal) && e.Password is not null
                && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(e.Password), System.Text.Encoding.UTF8.GetBytes(IngestSecret));
            e.ReasonCode = ok ? MqttConnectReasonCode.Success : MqttConnectReasonCode.BadUserNameOrPassword;
            if (!ok)
            {
                LogRefused(IngestClientId, "wrong ingest secret", e.RemoteEndPoint?.ToString());
            }
            return;
        }
        if (!DistrictTopics.IsValidBuildingId(e.ClientId) || !string.Equals(e.ClientId, e.UserName, StringComparison.Ordinal))
        {
            e.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
            LogRefused(WireText.Printable(e.ClientId), "client id must be a building id and equal the user name", e.RemoteEndPoint?.ToString());
            return;
        }
        if (!await registry.VerifyAsync(e.ClientId, e.Password, e.CancellationToken))
        {
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            LogRefused(e.ClientId, "unknown building, wrong secret or revoked", e.RemoteEndPoint?.ToString());
            return;
        }
        e.ReasonCode = MqttConnectReasonCode.Success;
        LogAdmitted(e.ClientId, e.RemoteEndPoint?.ToString());
    }

    private Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        // Messages the broker itself injects carry no client; the ingest may speak to any building.
        if (string.IsNullOrEmpty(e.ClientId) || string.Equals(e.ClientId, IngestClientId, StringComparison.Ordinal))
        {
            return Task.CompletedTask;
        }
        var message = e.ApplicationMessage;
        string? refusal = null;
        if (message.Payload.Length > options.Value.Broker.MaxMessageBytes)
        {
            refusal = $"{message.Payload.Length} byte message is over the {options.Value.Broker.MaxMessageBytes} byte cap";
            e.Response.ReasonCode = MqttPubAckReasonCode.QuotaExceeded;
        }
        else if (!DistrictTopics.TryParse(message.Topic, out var building, out var kind)
            || !string.Equals(building, e.ClientId, StringComparison.Ordinal) || Array.IndexOf(EdgePublishes, kind) < 0)
        {
            refusal = $"may not publish to '{WireText.Printable(message.Topic)}'";
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
        }
        if (refusal is not null)
        {
            e.ProcessPublish = false;
            e.Response.ReasonString = refusal;
            LogPublishRefused(e.ClientId, refusal);
        }
        return Task.CompletedTask;
    }

    private Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs e)
    {
        if (string.Equals(e.ClientId, IngestClientId, StringComparison.Ordinal))
        {
            return Task.CompletedTask;
        }
        var topic = e.TopicFilter.Topic;
        if (!DistrictTopics.TryParse(topic, out var building, out var kind)
            || !string.Equals(building, e.ClientId, StringComparison.Ordinal) || Array.IndexOf(EdgeSubscribes, kind) < 0)
        {
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            LogSubscriptionRefused(e.ClientId, WireText.Printable(topic));
        }
        return Task.CompletedTask;
    }

    public void Dispose() => _server?.Dispose();

    [LoggerMessage(1, LogLevel.Information, "District broker listening on {Address}:{Port}")]
    private partial void LogStarted(string address, int port);

    [LoggerMessage(2, LogLevel.Warning, "District broker refused the connection of '{ClientId}': {Reason} ({Remote})")]
    private partial void LogRefused(string clientId, string reason, string? remote);

    [LoggerMessage(3, LogLevel.Information, "Edge of building {BuildingId} connected ({Remote})")]
    private partial void LogAdmitted(string buildingId, string? remote);

    [LoggerMessage(4, LogLevel.Warning, "District broker refused a message from '{ClientId}': {Reason}")]
    private partial void LogPublishRefused(string clientId, string reason);

    [LoggerMessage(5, LogLevel.Warning, "District broker refused '{ClientId}' a subscription to '{Topic}'")]
    private partial void LogSubscriptionRefused(string clientId, string topic);

    [LoggerMessage(6, LogLevel.Information, "'{ClientId}' disconnected from the district broker ({How})")]
    private partial void LogDisconnected(string clientId, string how);
}
