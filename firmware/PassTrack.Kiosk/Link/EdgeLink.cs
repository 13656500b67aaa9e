using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using PassTrack.Contracts.Protocol;
using PassTrack.Kiosk.Flow;

namespace PassTrack.Kiosk.Link;

/// <summary>
/// The kiosk's connection to its edge: MQTT 5 with its own id and secret, a retained status with a Last Will, a
/// persistent session, reconnects with backoff and jitter, heartbeat telemetry. Requests go through the durable
/// <see cref="ScanOutbox"/>: one sender sends them in order and deletes each only when the edge has answered it, so
/// what was taken during an outage is replayed with its original time as soon as the edge is back.
/// </summary>
public sealed partial class EdgeLink : IEdge, IAsyncDisposable
{
    private readonly LinkOptions _options;
    private readonly ScanOutbox _queue;
    private readonly TimeProvider _time;
    private readonly ILogger<EdgeLink> _logger;
    private readonly IMqttClient _client;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<DecisionReply>> _waiting = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _work = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly long _startedAt;
    private Task? _running;
    private long _lastSend;
    private int _replaying;
    private volatile bool _connected;

    public EdgeLink(LinkOptions options, ScanOutbox queue, TimeProvider time, ILogger<EdgeLink> logger)
    {
        _options = options;
        _queue = queue;
        _time = time;
        _logger = logger;
        _startedAt = time.GetTimestamp();
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += e =>
        {
            if (_connected)
            {
                _connected = false;
                LinkLost(_logger, e.Reason.ToString());
                ConnectionChanged?.Invoke(false);
            }
            return Task.CompletedTask;
        };
    }

    /// <summary>A command from the edge (configuration, banners, summons, time). Raised on the network thread.</summary>
    public event Action<KioskCommand>? CommandReceived;

    /// <summary>Raised when the edge has answered a request and it has left the outbox.</summary>
    public event Action<string>? Delivered;

    /// <summary>Raised when the link comes up (true) or goes down (false).</summary>
    public event Action<bool>? ConnectionChanged;

    /// <summary>Reader health for the heartbeat, set by the scan loop.</summary>
    public Func<ReaderHealth> ReaderHealth { get; set; } = () => Contracts.Protocol.ReaderHealth.Ok;

    public bool IsConnected => _connected;

    /// <summary>Whether the link's loops are still running (connected or not): the watchdog's view.</summary>
    public bool Alive => _running is { IsCompleted: false };

    public int Backlog => _queue.Count;

    public Task StartAsync()
    {
        _running ??= Task.WhenAll(ConnectLoopAsync(_stop.Token), SendLoopAsync(_stop.Token), HeartbeatLoopAsync(_stop.Token));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Writes a scan to the queue (durably, before anything else) and wakes the sender. Returns the queued request;
    /// <see cref="AnswerAsync"/> waits for its reply.
    /// </summary>
    public QueuedRequest Enqueue(CredentialType kind, string value, DateTimeOffset scannedAt) =>
        Add(RequestKind.Scan, scannedAt, id => JsonSerializer.SerializeToUtf8Bytes(new ScanRequest(Protocol.Version, id, kind, value, scannedAt), ProtocolJson.Default.ScanRequest));

    public QueuedRequest EnqueueChoice(string forScan, string? destinationId, DateTimeOffset chosenAt, bool joinQueue = true, bool leaveLine = false) =>
        Add(RequestKind.Choose, chosenAt, id => JsonSerializer.SerializeToUtf8Bytes(new ChooseRequest(Protocol.Version, id, forScan, destinationId, chosenAt, joinQueue, leaveLine), ProtocolJson.Default.ChooseRequest));

    public QueuedRequest EnqueueStaffAction(string forScan, StaffAction action, string? studentNumber, string? card, DateTimeOffset at) =>
        Add(RequestKind.Staff, at, id => JsonSerializer.SerializeToUtf8Bytes(
            new StaffActionRequest(Protocol.Version, id, forScan, action, at) { StudentNumber = studentNumber, Card = card },
            ProtocolJson.Default.StaffActionRequest));

    string IEdge.Enqueue(CredentialType kind, string value, DateTimeOffset at) => Enqueue(kind, value, at).ScanId;

    string IEdge.EnqueueStaffAction(string forScan, StaffAction action, string? studentNumber, string? card, DateTimeOffset at) =>
        EnqueueStaffAction(forScan, action, studentNumber, card, at).ScanId;

    string IEdge.EnqueueChoice(string forScan, string? destinationId, DateTimeOffset at, bool leaveLine) =>
        EnqueueChoice(forScan, destinationId, at, joinQueue: true, leaveLine: leaveLine).ScanId;

    private QueuedRequest Add(RequestKind kind, DateTimeOffset at, Func<string, byte[]> payload)
    {
        var request = _queue.Add(kind, at, payload);
        Waiter(request.ScanId);
        _work.Release();
        return request;
    }

    /// <summary>
    /// The edge's answer to a queued request, or null if none came within <paramref name="timeout"/>. Ask as soon as
    /// the request is queued: once answered and done, a request is forgotten.
    /// </summary>
    public async Task<DecisionReply?> AnswerAsync(string scanId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        try
        {
            return await Waiter(scanId).Task.WaitAsync(timeout, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <summary>
    /// The student was told no answer came: a choice must not be made later behind their back. If the edge did get
    /// it already, its reply is simply ignored.
    /// </summary>
    public void Withdraw(string scanId)
    {
        _queue.Remove(scanId);
        _waiting.TryRemove(scanId, out _);
    }

    private TaskCompletionSource<DecisionReply> Waiter(string scanId) =>
        _waiting.GetOrAdd(scanId, _ => new TaskCompletionSource<DecisionReply>(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task ConnectLoopAsync(CancellationToken stop)
    {
        var attempt = 0;
        while (!stop.IsCancellationRequested)
        {
            if (!_client.IsConnected)
            {
                try
                {
                    await ConnectAsync(stop);
                    attempt = 0;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stop.IsCancellationRequested)
                {
                    attempt++;
                    var delay = Backoff.Delay(attempt, _options.MinReconnectDelay, _options.MaxReconnectDelay);
                    ConnectFailed(_logger, _options.Host, _options.Port, attempt, delay.TotalSeconds, ex.Message);
                    await Delay(delay, stop);
                    continue;
                }
            }
            await Delay(_options.ConnectionCheckInterval, stop);
        }
    }

    private async Task ConnectAsync(CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(_options.ConnectTimeout);
        var result = await _client.ConnectAsync(ClientOptions(), timeout.Token);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"refused: {result.ResultCode}");
        }
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(Topics.Reply(_options.KioskId), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(Topics.Command(_options.KioskId), MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), timeout.Token);
        await PublishAsync(Topics.Status(_options.KioskId), Status(KioskState.Online), retain: true, token: timeout.Token);
        _connected = true;
        _replaying = _queue.Count;
        LinkUp(_logger, _options.Host, _options.Port, _replaying);
        ConnectionChanged?.Invoke(true);
        _work.Release();
    }

    private MqttClientOptions ClientOptions()
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.Port)
            .WithClientId(_options.KioskId)
            .WithCredentials(_options.KioskId, _options.Secret)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            // A persistent session: commands sent while the kiosk was briefly away are waiting when it returns.
            .WithCleanStart(false)
            .WithSessionExpiryInterval(_options.SessionExpirySeconds)
            .WithKeepAlivePeriod(_options.KeepAlive)
            .WithTimeout(_options.ConnectTimeout)
            .WithUserProperty(Protocol.FirmwareProperty, Encoding.UTF8.GetBytes(_options.Firmware).AsMemory())
            .WithWillTopic(Topics.Status(_options.KioskId))
            .WithWillPayload(Status(KioskState.Offline))
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (!string.IsNullOrEmpty(_options.EnrollmentToken))
        {
            builder.WithUserProperty(Protocol.EnrollmentTokenProperty, Encoding.UTF8.GetBytes(_options.EnrollmentToken).AsMemory());
        }
        if (_options.UseTls)
        {
            builder.WithTlsOptions(o => o.UseTls());
        }
        return builder.Build();
    }

    /// <summary>One request at a time, oldest first, each kept until answered: the order the edge sees is the order taken.</summary>
    private async Task SendLoopAsync(CancellationToken stop)
    {
        var retry = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                retry = await SendNextAsync(retry, stop);
            }
            catch (Exception ex) when (!stop.IsCancellationRequested)
            {
                // The sender must outlive any one bad request or disk hiccup: log, pause, carry on.
                SenderFailed(_logger, ex);
                await Delay(_options.MaxReconnectDelay, stop);
            }
        }
    }

    private async Task<int> SendNextAsync(int retry, CancellationToken stop)
    {
        if (!_connected || _queue.Pending(1) is not [var next])
        {
            await WaitForWorkAsync(stop);
            return retry;
        }
        if (next.Kind != RequestKind.Scan && _time.GetUtcNow() - next.MadeAt > _options.ChoiceLifetime)
        {
            // A choice (or a staff action) is made with someone at the kiosk; one left from before a restart is not
            // replayed: a lockdown started twenty minutes late would do harm.
            _queue.Remove(next.ScanId);
            ChoiceDropped(_logger, next.ScanId);
            return retry;
        }
        // Paced under the edge's per-kiosk rate cap, so a long replay is never throttled into timeouts.
        var since = _time.GetElapsedTime(_lastSend);
        if (since < _options.MinSendInterval)
        {
            await Delay(_options.MinSendInterval - since, stop);
        }
        _lastSend = _time.GetTimestamp();
        var reply = await SendAndWaitAsync(next, stop);
        if (reply is null || reply.Error == ProtocolErrors.Unavailable)
        {
            // No answer, or the edge could not commit: the same scan id again, after a pause.
            await Delay(Backoff.Delay(retry + 1, _options.MinReconnectDelay, _options.MaxReconnectDelay), stop);
            return retry + 1;
        }
        if (reply.Error is { } error)
        {
            RequestRefused(_logger, next.ScanId, error);
        }
        _queue.Remove(next.ScanId);
        _waiting.TryRemove(next.ScanId, out _);
        Delivered?.Invoke(next.ScanId);
        if (_replaying > 0 && _queue.Count == 0)
        {
            ReplayDone(_logger, _replaying);
            _replaying = 0;
        }
        return 0;
    }

    private async Task<DecisionReply?> SendAndWaitAsync(QueuedRequest request, CancellationToken stop)
    {
        var waiter = Waiter(request.ScanId);
        var payload = request.Payload;
        if (_time.GetUtcNow() - request.MadeAt > _options.ReplayAfter)
        {
            payload = MarkReplay(request);
        }
        try
        {
            var topic = request.Kind switch
            {
                RequestKind.Scan => Topics.Scan(_options.KioskId),
                RequestKind.Choose => Topics.Choose(_options.KioskId),
                _ => Topics.Staff(_options.KioskId),
            };
            await PublishAsync(topic, payload, correlation: request.ScanId, token: stop);
            return await waiter.Task.WaitAsync(_options.ReplyTimeout, _time, stop);
        }
        catch (Exception ex) when (ex is TimeoutException or MqttCommunicationException or InvalidOperationException or OperationCanceledException && !stop.IsCancellationRequested)
        {
            SendFailed(_logger, request.ScanId, ex.Message);
            return null;
        }
    }

    private static byte[] MarkReplay(QueuedRequest request) => request.Kind switch
    {
        RequestKind.Scan => JsonSerializer.SerializeToUtf8Bytes(JsonSerializer.Deserialize(request.Payload, ProtocolJson.Default.ScanRequest)! with { Replay = true }, ProtocolJson.Default.ScanRequest),
        RequestKind.Choose => JsonSerializer.SerializeToUtf8Bytes(JsonSerializer.Deserialize(request.Payload, ProtocolJson.Default.ChooseRequest)! with { Replay = true }, ProtocolJson.Default.ChooseRequest),
        _ => JsonSerializer.SerializeToUtf8Bytes(JsonSerializer.Deserialize(request.Payload, ProtocolJson.Default.StaffActionRequest)! with { Replay = true }, ProtocolJson.Default.StaffActionRequest),
    };

    private async Task HeartbeatLoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await Delay(_options.Heartbeat, stop);
            if (!_connected)
            {
                continue;
            }
            var uptime = (long)_time.GetElapsedTime(_startedAt).TotalSeconds;
            var telemetry = new TelemetryMessage(Protocol.Version, uptime, _queue.Count, _options.Firmware, ReaderHealth(), _time.GetUtcNow())
            {
                MemoryBytes = Environment.WorkingSet,
            };
            try
            {
                await PublishAsync(Topics.Telemetry(_options.KioskId), JsonSerializer.SerializeToUtf8Bytes(telemetry, ProtocolJson.Default.TelemetryMessage), token: stop);
            }
            catch (Exception ex) when (ex is MqttCommunicationException or InvalidOperationException)
            {
                SendFailed(_logger, "telemetry", ex.Message);
            }
        }
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var message = e.ApplicationMessage;
        try
        {
            if (message.Topic == Topics.Reply(_options.KioskId))
            {
                var reply = JsonSerializer.Deserialize(message.Payload.ToArray(), ProtocolJson.Default.DecisionReply);
                // Left in place: the sender removes it with the request, and whoever waits already holds its task.
                if (reply is not null && _waiting.TryGetValue(reply.ScanId, out var waiter))
                {
                    waiter.TrySetResult(reply);
                }
            }
            else if (message.Topic == Topics.Command(_options.KioskId)
                && JsonSerializer.Deserialize(message.Payload.ToArray(), ProtocolJson.Default.KioskCommand) is { } command)
            {
                CommandReceived?.Invoke(command);
            }
        }
        catch (JsonException ex)
        {
            BadMessage(_logger, message.Topic, ex.Message);
        }
        return Task.CompletedTask;
    }

    /// <summary>Tells the edge how an update went. False when not connected or the publish failed: the caller keeps it and tries again.</summary>
    public async Task<bool> ReportUpdateAsync(UpdateReport report, CancellationToken cancellationToken)
    {
        if (!_client.IsConnected)
        {
            return false;
        }
        try
        {
            await PublishAsync(Topics.Update(_options.KioskId), JsonSerializer.SerializeToUtf8Bytes(report, ProtocolJson.Default.UpdateReport), token: cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is MqttCommunicationException or InvalidOperationException or OperationCanceledException)
        {
            SendFailed(_logger, "update report", ex.Message);
            return false;
        }
    }

    private async Task PublishAsync(string topic, byte[] payload, string? correlation = null, bool retain = false, CancellationToken token = default)
    {
        var builder = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain);
        if (correlation is not null)
        {
            builder.WithResponseTopic(Topics.Reply(_options.KioskId)).WithCorrelationData(Encoding.UTF8.GetBytes(correlation));
        }
        var result = await _client.PublishAsync(builder.Build(), token);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"publish refused: {result.ReasonCode}");
        }
    }

    private byte[] Status(KioskState state) =>
        JsonSerializer.SerializeToUtf8Bytes(new KioskStatusMessage(Protocol.Version, state, _options.Firmware, _time.GetUtcNow()), ProtocolJson.Default.KioskStatusMessage);

    private async Task WaitForWorkAsync(CancellationToken stop)
    {
        try
        {
            await _work.WaitAsync(_options.ConnectionCheckInterval, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task Delay(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, _time, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null)
        {
            await _running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        if (_client.IsConnected)
        {
            try
            {
                // A clean goodbye: say offline ourselves (a normal disconnect does not send the Will).
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await PublishAsync(Topics.Status(_options.KioskId), Status(KioskState.Offline), retain: true, token: timeout.Token);
                await _client.DisconnectAsync(new MqttClientDisconnectOptions(), timeout.Token);
            }
            catch (Exception ex) when (ex is MqttCommunicationException or OperationCanceledException or InvalidOperationException)
            {
                SendFailed(_logger, "disconnect", ex.Message);
            }
        }
        _client.Dispose();
        _stop.Dispose();
        _work.Dispose();
    }

    [LoggerMessage(1, LogLevel.Information, "Connected to the edge at {Host}:{Port}; {Queued} requests queued")]
    private static partial void LinkUp(ILogger logger, string host, int port, int queued);

    [LoggerMessage(2, LogLevel.Warning, "Lost the edge: {Reason}")]
    private static partial void LinkLost(ILogger logger, string reason);

    [LoggerMessage(3, LogLevel.Warning, "Could not reach the edge at {Host}:{Port} (attempt {Attempt}, next in {Seconds:0.0} s): {Error}")]
    private static partial void ConnectFailed(ILogger logger, string host, int port, int attempt, double seconds, string error);

    [LoggerMessage(4, LogLevel.Warning, "Sending {ScanId} failed: {Error}")]
    private static partial void SendFailed(ILogger logger, string scanId, string error);

    [LoggerMessage(5, LogLevel.Error, "The edge refused {ScanId}: {Error}")]
    private static partial void RequestRefused(ILogger logger, string scanId, string error);

    [LoggerMessage(6, LogLevel.Warning, "Unreadable message on {Topic}: {Error}")]
    private static partial void BadMessage(ILogger logger, string topic, string error);

    [LoggerMessage(8, LogLevel.Error, "The outbox sender failed; retrying")]
    private static partial void SenderFailed(ILogger logger, Exception exception);

    [LoggerMessage(9, LogLevel.Information, "Outbox empty: the {Count} requests queued while the edge was away are delivered")]
    private static partial void ReplayDone(ILogger logger, int count);

    [LoggerMessage(7, LogLevel.Information, "A choice from before a restart ({ScanId}) is not replayed")]
    private static partial void ChoiceDropped(ILogger logger, string scanId);
}

/// <summary>Exponential backoff with full jitter, so a building's kiosks do not reconnect in step after an outage.</summary>
public static class Backoff
{
    public static TimeSpan Delay(int attempt, TimeSpan min, TimeSpan max)
    {
        var ceiling = Math.Min(max.TotalMilliseconds, min.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 20)));
        return TimeSpan.FromMilliseconds(min.TotalMilliseconds + (Random.Shared.NextDouble() * (ceiling - min.TotalMilliseconds)));
    }
}

public sealed class LinkOptions
{
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 1883;

    public bool UseTls { get; set; }

    public string KioskId { get; set; } = "";

    public string Secret { get; set; } = "";

    /// <summary>The district's token, for a kiosk that enrols itself on first contact.</summary>
    public string? EnrollmentToken { get; set; }

    public string Firmware { get; set; } = "0.0.0";

    public uint SessionExpirySeconds { get; set; } = 3600;

    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the sender waits for an answer before trying the same request again.</summary>
    public TimeSpan ReplyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MinReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan ConnectionCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>At least this long between two requests: 15 a second, under the edge's default cap of 20.</summary>
    public TimeSpan MinSendInterval { get; set; } = TimeSpan.FromMilliseconds(66);

    /// <summary>A request sent later than this after it was made is flagged as a replay.</summary>
    public TimeSpan ReplayAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A choice still queued after this long (a power cut before it was sent) is dropped, not replayed.</summary>
    public TimeSpan ChoiceLifetime { get; set; } = TimeSpan.FromSeconds(30);
}
