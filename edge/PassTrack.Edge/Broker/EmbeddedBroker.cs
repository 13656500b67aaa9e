using PassTrack.Contracts;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;
using PassTrack.Contracts.Protocol;
using PassTrack.Edge.Kiosks;
using PassTrack.Edge.Passes;

namespace PassTrack.Edge.Broker;

/// <summary>
/// The MQTTnet broker inside the edge (Edge:Mqtt:Mode = Embedded). It admits only kiosks (MQTT 5, client id = user
/// name = kiosk id, the kiosk's own secret), lets each publish only to its own request, status and telemetry topics
/// and subscribe only to its own reply and command topics, and hands every kiosk message to <see cref="KioskProtocol"/>.
/// It starts listening once the building is rebuilt, so no scan arrives before the building can decide it.
/// </summary>
public sealed partial class EmbeddedBroker(
    BuildingWriter writer,
    KioskAuthenticator authenticator,
    KioskProtocol protocol,
    KioskPresence presence,
    KioskCommander commander,
    KioskRefusals refusals,
    IOptions<EdgeOptions> options,
    ILogger<EmbeddedBroker> logger) : IHostedService, IKioskTransport, IDisposable
{
    /// <summary>The sender id of the edge's own messages: not a valid kiosk id, so no kiosk can pose as the edge.</summary>
    internal const string EdgeSender = "$edge";
    private const string AdmissionItem = "passtrack.admission";

    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, MqttSessionStatus> _sessions = new(StringComparer.Ordinal);
    private MqttServer? _server;
    private KioskListener? _listener;

    public Task Ready => _ready.Task;

    public bool SeesConnections => true;

    /// <summary>The plain MQTT port the broker listens on.</summary>
    public int Port => _listener?.Port ?? 0;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await writer.Ready.WaitAsync(cancellationToken);
        var mqtt = options.Value.Mqtt;
        var address = IPAddress.Parse(mqtt.BindAddress);
        var certificate = string.IsNullOrEmpty(mqtt.TlsCertificatePath) ? null : X509CertificateLoader.LoadPkcs12FromFile(mqtt.TlsCertificatePath, mqtt.TlsCertificatePassword);
        // Topics, properties and the fixed header come on top of the payload; anything far larger is not a kiosk.
        var packetLimit = Math.Max(2 * mqtt.MaxMessageBytes, mqtt.MaxMessageBytes + 4096);
        _listener = new KioskListener(
            new IPEndPoint(address, mqtt.Port),
            certificate is null ? null : new IPEndPoint(address, mqtt.TlsPort),
            certificate,
            packetLimit,
            (remote, size) => refusals.Record(null, RefusalReasons.PacketTooLarge, $"{size} byte packet from {remote}; connection closed"),
            logger);
        var serverOptions = new MqttServerOptionsBuilder()
            .WithoutDefaultEndpoint()
            .WithDefaultCommunicationTimeout(TimeSpan.FromSeconds(10))
            .WithKeepAlive()
            .WithPersistentSessions(true)
            .WithMaxPendingMessagesPerClient(1000)
            .WithPendingMessagesOverflowStrategy(MqttPendingMessagesOverflowStrategy.DropOldestQueuedMessage)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(serverOptions, [_listener], new MqttLogBridge(logger));
        _server.ValidatingConnectionAsync += ValidateAsync;
        _server.ClientConnectedAsync += ConnectedAsync;
        _server.ClientDisconnectedAsync += DisconnectedAsync;
        _server.InterceptingPublishAsync += InterceptPublishAsync;
        _server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        _server.ClientSubscribedTopicAsync += SubscribedAsync;
        await _server.StartAsync();
        _ready.TrySetResult();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is null)
        {
            return;
        }
        _server.AcceptNewConnections = false;
        // Replies to what was already taken are still committed and sent before the kiosks are disconnected.
        await protocol.DrainAsync(TimeSpan.FromSeconds(5));
        await _server.StopAsync(new MqttServerStopOptionsBuilder()
            .WithDefaultClientDisconnectOptions(o => o.WithReasonCode(MqttDisconnectReasonCode.ServerShuttingDown))
            .Build());
    }

    public async Task PublishAsync(KioskOutbound message, CancellationToken cancellationToken)
    {
        if (_server is not { IsStarted: true } server)
        {
            return;
        }
        var outbound = new MqttApplicationMessageBuilder()
            .WithTopic(message.Topic)
            .WithPayload(message.Payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(message.Retain)
            .WithContentType("application/json")
            .WithCorrelationData(message.CorrelationData)
            .Build();
        // A reply or command for one kiosk goes straight into that kiosk's session: injecting it would match its topic
        // against every connected kiosk's subscriptions, which with a thousand kiosks costs more than deciding the scan.
        // Retained messages go through the broker, which keeps them for kiosks that connect later.
        if (!message.Retain && Topics.TryParse(message.Topic, out var kioskId, out _)
            && (_sessions.TryGetValue(kioskId, out var session) ? session : await SessionOfAsync(server, kioskId)) is { } known
            && known.TryEnqueueApplicationMessage(outbound, out _))
        {
            return;
        }
        await server.InjectApplicationMessage(new InjectedMqttApplicationMessage(outbound) { SenderClientId = EdgeSender }, cancellationToken);
    }

    /// <summary>The kiosk's session, asked of the broker once and then remembered (the caller checks that first).</summary>
    private async Task<MqttSessionStatus?> SessionOfAsync(MqttServer server, string kioskId)
    {
        MqttSessionStatus? session;
        try
        {
            session = await server.GetSessionAsync(kioskId);
        }
        catch (InvalidOperationException)
        {
            // No session (the kiosk never connected): the broker's own routing decides what happens to the message.
            return null;
        }
        if (session is not null)
        {
            _sessions[kioskId] = session;
        }
        return session;
    }

    public async Task DisconnectAsync(string kioskId, CancellationToken cancellationToken)
    {
        if (_server is not { IsStarted: true } server)
        {
            return;
        }
        try
        {
            await server.DisconnectClientAsync(kioskId, new MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.NotAuthorized, ReasonString = "revoked" });
        }
        catch (InvalidOperationException)
        {
            // Not connected: nothing to cut off, and its next connection is refused.
        }
    }

    private async Task ValidateAsync(ValidatingConnectionEventArgs e)
    {
        if (e.ProtocolVersion != MqttProtocolVersion.V500)
        {
            refusals.Record(null, RefusalReasons.ProtocolVersion, $"{e.ProtocolVersion} from '{WireText.Printable(e.ClientId)}' at {e.RemoteEndPoint}: kiosks speak MQTT 5");
            e.ReasonCode = MqttConnectReasonCode.UnsupportedProtocolVersion;
            return;
        }
        var login = new KioskLogin(
            e.ClientId,
            e.UserName,
            e.Password,
            Property(e.UserProperties, Protocol.EnrollmentTokenProperty),
            Property(e.UserProperties, Protocol.FirmwareProperty),
            e.RemoteEndPoint?.ToString());
        var result = await authenticator.LoginAsync(login, e.CancellationToken);
        e.ReasonCode = result.Admission switch
        {
            KioskAdmission.Approved or KioskAdmission.Pending => MqttConnectReasonCode.Success,
            _ => result.Reason switch
            {
                RefusalReasons.Revoked => MqttConnectReasonCode.Banned,
                RefusalReasons.WrongSecret => MqttConnectReasonCode.BadUserNameOrPassword,
                RefusalReasons.BadIdentity => MqttConnectReasonCode.ClientIdentifierNotValid,
                _ => MqttConnectReasonCode.NotAuthorized,
            },
        };
        if (result.Accepted)
        {
            e.SessionItems[AdmissionItem] = result.Admission;
        }
        else
        {
            e.ReasonString = result.Reason;
        }
    }

    private Task ConnectedAsync(ClientConnectedEventArgs e)
    {
        // A new connection may come with a new session: look it up again on the first reply.
        _sessions.TryRemove(e.ClientId, out _);
        presence.Connected(e.ClientId, Property(e.UserProperties, Protocol.FirmwareProperty), e.RemoteEndPoint?.ToString());
        return Task.CompletedTask;
    }

    private Task DisconnectedAsync(ClientDisconnectedEventArgs e)
    {
        _sessions.TryRemove(e.ClientId, out _);
        // A kiosk that reconnected took its own session over: it is still online.
        if (e.DisconnectType != MqttClientDisconnectType.Takeover)
        {
            presence.Disconnected(e.ClientId, e.DisconnectType == MqttClientDisconnectType.Clean ? "disconnected" : "connection lost");
        }
        return Task.CompletedTask;
    }

    private Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        if (string.Equals(e.ClientId, EdgeSender, StringComparison.Ordinal))
        {
            return Task.CompletedTask;
        }
        var message = e.ApplicationMessage;
        var admission = protocol.Accept(
            new KioskInbound(e.ClientId, message.Topic, message.Payload, message.ResponseTopic, message.CorrelationData?.ToArray(), Stopwatch.GetTimestamp()),
            this);
        e.ProcessPublish = admission.Route;
        e.Response.ReasonCode = admission.Verdict switch
        {
            Verdict.Accepted => MqttPubAckReasonCode.Success,
            Verdict.NotAuthorized => MqttPubAckReasonCode.NotAuthorized,
            Verdict.TooLarge or Verdict.RateLimited => MqttPubAckReasonCode.QuotaExceeded,
            _ => MqttPubAckReasonCode.PayloadFormatInvalid,
        };
        if (admission.Verdict != Verdict.Accepted)
        {
            e.Response.ReasonString = admission.Verdict.ToString();
        }
        return Task.CompletedTask;
    }

    private Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs e)
    {
        var topic = e.TopicFilter.Topic;
        if (!string.Equals(topic, Topics.Reply(e.ClientId), StringComparison.Ordinal)
            && !string.Equals(topic, Topics.Command(e.ClientId), StringComparison.Ordinal))
        {
            refusals.Record(e.ClientId, RefusalReasons.SubscriptionRefused, $"may not subscribe to '{WireText.Printable(topic)}'");
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
        }
        return Task.CompletedTask;
    }

    private Task SubscribedAsync(ClientSubscribedTopicEventArgs e)
    {
        // Subscribed to its commands: now the kiosk can hear its configuration, a banner in force, its summons.
        if (string.Equals(e.TopicFilter.Topic, Topics.Command(e.ClientId), StringComparison.Ordinal))
        {
            commander.KioskOnline(e.ClientId);
        }
        return Task.CompletedTask;
    }

    private static string? Property(List<MqttUserProperty>? properties, string name) =>
        properties?.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal))?.ReadValueAsString() is { Length: <= 64 } value ? value : null;

    public void Dispose()
    {
        _server?.Dispose();
        _listener?.Dispose();
    }
}
