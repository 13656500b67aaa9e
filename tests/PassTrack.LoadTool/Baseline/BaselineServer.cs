using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;
using PassTrack.Contracts;
using PassTrack.Contracts.Passes;
using PassTrack.Contracts.Protocol;

namespace PassTrack.LoadTool.Baseline;

/// <summary>
/// The yardstick: a bare MQTTnet 5 broker on loopback that accepts every client (no authentication, no rules), keeps
/// each request message durably (<see cref="GroupCommitStore"/>) and, after the commit, publishes a fixed reply to the
/// request's response topic with its correlation data. The edge does all of this plus its real work, so the edge's
/// throughput as a fraction of this one's says what the edge's own logic costs.
/// </summary>
public sealed class BaselineServer : IAsyncDisposable
{
    private static readonly string[] Lines = ["BASELINE", "Stored and answered", "", ""];
    private readonly MqttServer _server;
    private readonly GroupCommitStore _store;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, MqttSessionStatus> _sessions = new(StringComparer.Ordinal);

    private readonly bool _inject;

    private BaselineServer(MqttServer server, GroupCommitStore store, bool inject)
    {
        _server = server;
        _store = store;
        _inject = inject;
    }

    public GroupCommitStore Store => _store;

    /// <param name="inject">Publish replies through <see cref="MqttServer.InjectApplicationMessage"/> (as the edge did first) rather than straight into the session.</param>
    public static async Task<BaselineServer> StartAsync(int port, string databasePath, bool inject)
    {
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointPort(port)
            .WithConnectionBacklog(1000)
            .Build();
        var server = new MqttServerFactory().CreateMqttServer(options);
        var store = new GroupCommitStore(databasePath);
        var baseline = new BaselineServer(server, store, inject);
        server.InterceptingPublishAsync += baseline.OnPublishAsync;
        server.ClientDisconnectedAsync += baseline.OnDisconnectedAsync;
        await server.StartAsync();
        return baseline;
    }

    private Task OnPublishAsync(InterceptingPublishEventArgs e)
    {
        var message = e.ApplicationMessage;
        if (e.ClientId == "$baseline")
        {
            return Task.CompletedTask;
        }
        if (!Topics.TryParse(message.Topic, out _, out var kind) || kind is not (KioskTopic.Scan or KioskTopic.Choose) || string.IsNullOrEmpty(message.ResponseTopic))
        {
            // Our own replies (injected messages pass here too) and retained status go on to subscribers; telemetry is
            // consumed, as the edge consumes it rather than forwarding it.
            e.ProcessPublish = kind is not KioskTopic.Telemetry;
            return Task.CompletedTask;
        }
        e.ProcessPublish = false;
        var correlation = message.CorrelationData ?? [];
        var reply = JsonSerializer.SerializeToUtf8Bytes(
            new DecisionReply(Protocol.Version, Encoding.UTF8.GetString(correlation), kind == KioskTopic.Scan ? Outcome.Identified : Outcome.Granted, ReasonCode.Ok, Lines, Language.English),
            ProtocolJson.Default.DecisionReply);
        var response = new MqttApplicationMessageBuilder()
            .WithTopic(message.ResponseTopic)
            .WithPayload(reply)
            .WithCorrelationData(correlation)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        var clientId = e.ClientId;
        _store.Add(new Received(clientId, message.Topic, message.Payload.ToArray(), reply, () => _inject
            ? _server.InjectApplicationMessage(new InjectedMqttApplicationMessage(response) { SenderClientId = "$baseline" }, CancellationToken.None)
            : DeliverAsync(clientId, response)));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Straight into the requester's session queue, the cheapest way MQTTnet offers: injecting the message instead
    /// would match its topic against every connected client's subscriptions (0.4 ms a reply with 1,000 kiosks here).
    /// </summary>
    private async Task DeliverAsync(string clientId, MqttApplicationMessage response)
    {
        if (!_sessions.TryGetValue(clientId, out var session))
        {
            session = await _server.GetSessionAsync(clientId);
            if (session is null)
            {
                return;
            }
            _sessions[clientId] = session;
        }
        session.TryEnqueueApplicationMessage(response, out _);
    }

    private Task OnDisconnectedAsync(ClientDisconnectedEventArgs e)
    {
        _sessions.TryRemove(e.ClientId, out _);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync(new MqttServerStopOptions());
        _server.Dispose();
        await _store.DisposeAsync();
    }
}
