using PassTrack.Contracts;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using PassTrack.Contracts.Protocol;

namespace PassTrack.Edge.Kiosks;

/// <summary>How the transport should answer a kiosk's publish.</summary>
public enum Verdict
{
    Accepted,
    NotAuthorized,
    TooLarge,
    RateLimited,
    Malformed,
    UnsupportedVersion,
}

/// <summary>
/// The verdict on one message, whether the broker should route it on (a retained status), and the work it started
/// (a scan's commit and reply), for a transport that acknowledges only once that is done.
/// </summary>
public readonly record struct Admission(Verdict Verdict, bool Route = false, Task? Work = null);

/// <summary>
/// The kiosk protocol, whatever carries it: the embedded broker and the external-broker client both hand every kiosk
/// message to <see cref="Accept"/>. It checks the message (its own topic, the size cap, the kiosk's rate, the JSON,
/// the version) at once and answers the broker, then does the work: a scan becomes a tap, a choice a pass request or
/// a cancellation, each decided exactly once and replied to only after it is committed; status and telemetry go to
/// <see cref="KioskPresence"/>. Nothing here blocks the caller's receive loop beyond the synchronous checks.
/// </summary>
public sealed partial class KioskProtocol
{
    private readonly KioskPresence _presence;
    private readonly KioskRefusals _refusals;
    private readonly KioskRequests _requests;
    private readonly Updates.UpdateRollouts _updates;
    private readonly KioskRateLimiter _rate;
    private readonly int _maxBytes;
    private readonly int _perSecond;
    private readonly ILogger<KioskProtocol> _logger;
    // Work still running, counted rather than kept in a set: no lock and no entry per message.
    private int _running;
    private TaskCompletionSource? _drained;

    public KioskProtocol(KioskPresence presence, KioskRefusals refusals, KioskRequests requests, Updates.UpdateRollouts updates, TimeProvider time, IOptions<EdgeOptions> options, ILogger<KioskProtocol> logger)
    {
        _presence = presence;
        _refusals = refusals;
        _requests = requests;
        _updates = updates;
        _logger = logger;
        _rate = new KioskRateLimiter(time, options.Value.Mqtt.MaxMessagesPerSecondPerKiosk);
        _maxBytes = options.Value.Mqtt.MaxMessageBytes;
        _perSecond = options.Value.Mqtt.MaxMessagesPerSecondPerKiosk;
    }

    /// <summary>Raised when a kiosk says it is online (its retained status): the commander sends it its state.</summary>
    public event Action<string>? Announced;

    /// <summary>Checks a kiosk's message and starts its work. Never throws for anything a kiosk can send.</summary>
    public Admission Accept(KioskInbound message, IKioskTransport transport)
    {
        var sender = message.Sender;
        if (!_rate.TryTake(sender))
        {
            // No error reply: answering a flood would double it.
            _refusals.Record(sender, RefusalReasons.RateLimited, $"more than {_perSecond} messages a second (on '{WireText.Printable(message.Topic)}')");
            return new Admission(Verdict.RateLimited);
        }
        var known = Topics.TryParse(message.Topic, out var owner, out var kind);
        if (!known || !string.Equals(owner, sender, StringComparison.Ordinal) || kind is KioskTopic.Reply or KioskTopic.Command)
        {
            return Refuse(message, transport, null, Verdict.NotAuthorized, RefusalReasons.NotYourTopic, ProtocolErrors.NotYourTopic, $"may not publish to '{WireText.Printable(message.Topic)}'");
        }
        if (message.Payload.Length > _maxBytes)
        {
            return Refuse(message, transport, null, Verdict.TooLarge, RefusalReasons.TooLarge, ProtocolErrors.TooLarge, $"{message.Payload.Length} bytes on {kind} (cap {_maxBytes})");
        }

        return kind switch
        {
            KioskTopic.Scan => AcceptScan(message, transport),
            KioskTopic.Choose => AcceptChoose(message, transport),
            KioskTopic.Staff => AcceptStaff(message, transport),
            KioskTopic.Status => AcceptStatus(message, transport),
            KioskTopic.Update => AcceptUpdate(message, transport),
            _ => AcceptTelemetry(message, transport),
        };
    }

    private Admission AcceptScan(KioskInbound message, IKioskTransport transport) =>
        Parse(message, transport, StrictProtocolJson.Default.ScanRequest, out var scan) is { } refused
            ? refused
            : new Admission(Verdict.Accepted, Work: Track(_requests.Scan(message, scan!, transport)));

    private Admission AcceptChoose(KioskInbound message, IKioskTransport transport) =>
        Parse(message, transport, StrictProtocolJson.Default.ChooseRequest, out var choose) is { } refused
            ? refused
            : new Admission(Verdict.Accepted, Work: Track(_requests.ChooseAsync(message, choose!, transport)));

    private Admission AcceptStaff(KioskInbound message, IKioskTransport transport) =>
        Parse(message, transport, StrictProtocolJson.Default.StaffActionRequest, out var action) is { } refused
            ? refused
            : new Admission(Verdict.Accepted, Work: Track(_requests.StaffAsync(message, action!, transport)));

    private Admission AcceptStatus(KioskInbound message, IKioskTransport transport)
    {
        if (Parse(message, transport, StrictProtocolJson.Default.KioskStatusMessage, out var status) is { } refused)
        {
            return refused;
        }
        _presence.StatusReported(message.Sender, status!, authoritative: !transport.SeesConnections);
        // Behind an external broker the retained Online status is the only sign a kiosk (re)connected.
        if (status!.State == KioskState.Online && !transport.SeesConnections)
        {
            Announced?.Invoke(message.Sender);
        }
        return new Admission(Verdict.Accepted, Route: true);
    }

    private Admission AcceptTelemetry(KioskInbound message, IKioskTransport transport)
    {
        if (Parse(message, transport, StrictProtocolJson.Default.TelemetryMessage, out var telemetry) is { } refused)
        {
            return refused;
        }
        _presence.TelemetryReported(message.Sender, telemetry!);
        return new Admission(Verdict.Accepted);
    }

    private Admission AcceptUpdate(KioskInbound message, IKioskTransport transport) =>
        Parse(message, transport, StrictProtocolJson.Default.UpdateReport, out var report) is { } refused
            ? refused
            : new Admission(Verdict.Accepted, Work: Track(_updates.ReportAsync(message.Sender, report!, CancellationToken.None)));

    /// <summary>Waits (up to <paramref name="timeout"/>) for replies still being committed and published: a clean shutdown answers what it took.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _drained, drained);
        // Whatever finishes from here on sees the signal; what finished before left nothing to wait for.
        if (Volatile.Read(ref _running) == 0)
        {
            drained.TrySetResult();
        }
        try
        {
            await drained.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            DrainTimedOut(_logger, Volatile.Read(ref _running));
        }
    }

    /// <summary>Reads a kiosk message strictly: valid JSON, this version's members only, each required one present and sane.</summary>
    private Admission? Parse<T>(KioskInbound message, IKioskTransport transport, JsonTypeInfo<T> type, out T? value)
        where T : class
    {
        value = null;
        string? detail;
        try
        {
            var reader = new Utf8JsonReader(message.Payload);
            value = JsonSerializer.Deserialize(ref reader, type);
            detail = value is null ? "null payload" : KioskValidation.VersionOf(value) == 0 ? "v is missing" : KioskValidation.Check(value);
        }
        catch (JsonException ex)
        {
            detail = ex.Message;
        }
        // A newer kiosk's message may fail to parse only because it has members this version lacks: say so.
        var version = value is null ? KioskValidation.SniffVersion(message.Payload) : KioskValidation.VersionOf(value);
        if (version is { } v && v != Protocol.Version && v != 0)
        {
            value = null;
            return Refuse(message, transport, null, Verdict.UnsupportedVersion, RefusalReasons.UnsupportedVersion, ProtocolErrors.UnsupportedVersion, $"version {v} (this edge speaks {Protocol.Version})");
        }
        if (detail is null)
        {
            return null;
        }
        var scanId = KioskValidation.ScanIdOf(value);
        value = null;
        return Refuse(message, transport, scanId, Verdict.Malformed, RefusalReasons.Malformed, ProtocolErrors.Malformed, $"{typeof(T).Name}: {detail}");
    }

    /// <summary>Records the refusal, and answers a request that asked for an answer (it had a response topic).</summary>
    private Admission Refuse(KioskInbound message, IKioskTransport transport, string? scanId, Verdict verdict, string reason, string error, string detail)
    {
        _refusals.Record(message.Sender, reason, detail);
        if (message.ResponseTopic is not null && Topics.IsValidKioskId(message.Sender))
        {
            _ = Track(transport.PublishAsync(KioskTopics.Reply(message.Sender, KioskReplies.Error(scanId ?? "", error), message.CorrelationData), CancellationToken.None));
        }
        return new Admission(verdict);
    }

    private Task Track(Task work)
    {
        if (work.IsCompleted)
        {
            Observe(work);
            return work;
        }
        Interlocked.Increment(ref _running);
        work.ContinueWith(
            static (t, state) =>
            {
                var self = (KioskProtocol)state!;
                self.Observe(t);
                if (Interlocked.Decrement(ref self._running) == 0)
                {
                    Volatile.Read(ref self._drained)?.TrySetResult();
                }
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return work;
    }

    private void Observe(Task work)
    {
        // Cancelled or refused because the edge is shutting down: the kiosk sends it again once the edge is back.
        if (work.Exception is { } failed && failed.InnerException is not (OperationCanceledException or ChannelClosedException))
        {
            WorkFailed(_logger, failed.InnerException ?? failed);
        }
    }


    [LoggerMessage(120, LogLevel.Error, "Handling a kiosk message failed")]
    private static partial void WorkFailed(ILogger logger, Exception exception);

    [LoggerMessage(121, LogLevel.Warning, "Stopped waiting for {Count} kiosk replies still in flight")]
    private static partial void DrainTimedOut(ILogger logger, int count);
}
