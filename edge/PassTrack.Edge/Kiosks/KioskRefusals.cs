using PassTrack.Edge.Telemetry;

namespace PassTrack.Edge.Kiosks;

/// <summary>Why the edge refused a kiosk's connection, subscription or message: the metric's tag and the log's reason.</summary>
public static class RefusalReasons
{
    public const string UnknownDevice = "unknown-device";
    public const string WrongSecret = "wrong-secret";
    public const string Revoked = "revoked";
    public const string BadIdentity = "bad-identity";
    public const string EnrollmentRefused = "enrollment-refused";
    public const string ProtocolVersion = "protocol-version";
    public const string NotYourTopic = "not-your-topic";
    public const string SubscriptionRefused = "subscription-refused";
    public const string TooLarge = "too-large";
    public const string PacketTooLarge = "packet-too-large";
    public const string RateLimited = "rate-limited";
    public const string Malformed = "malformed";
    public const string UnsupportedVersion = "unsupported-version";
    public const string UnknownScan = "unknown-scan";
}

/// <summary>One refusal, as kept for whoever looks into a misbehaving kiosk.</summary>
public sealed record KioskRefusal(string? KioskId, string Reason, string Detail, DateTimeOffset At);

/// <summary>
/// Every refusal is counted (<see cref="EdgeMetrics.MessageRefused"/>), kept among the most recent, and logged with its
/// reason. Logging is throttled per kiosk and reason, so a flooding device cannot flood the journal as well: the next
/// line says how many were not written.
/// </summary>
public sealed partial class KioskRefusals(EdgeMetrics metrics, TimeProvider time, ILogger<KioskRefusals> logger)
{
    private const int Kept = 256;
    private const int MaxThrottled = 10_000;
    private static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly Queue<KioskRefusal> _recent = new(Kept);
    private readonly Dictionary<(string Kiosk, string Reason), Throttle> _throttle = [];

    /// <summary>Raised after a refusal is recorded (outside any lock).</summary>
    public event Action<KioskRefusal>? Recorded;

    public IReadOnlyList<KioskRefusal> Recent
    {
        get
        {
            lock (_gate)
            {
                return [.. _recent];
            }
        }
    }

    public void Record(string? kioskId, string reason, string detail)
    {
        metrics.MessageRefused(reason);
        var refusal = new KioskRefusal(kioskId, reason, detail, time.GetUtcNow());
        var now = time.GetTimestamp();
        int suppressed;
        lock (_gate)
        {
            if (_recent.Count == Kept)
            {
                _recent.Dequeue();
            }
            _recent.Enqueue(refusal);
            if (_throttle.Count >= MaxThrottled)
            {
                _throttle.Clear();
            }
            var key = (kioskId ?? "", reason);
            if (_throttle.TryGetValue(key, out var throttle) && time.GetElapsedTime(throttle.LastLogged, now) < LogEvery)
            {
                _throttle[key] = throttle with { Suppressed = throttle.Suppressed + 1 };
                suppressed = -1;
            }
            else
            {
                suppressed = throttle.Suppressed;
                _throttle[key] = new Throttle(now, 0);
            }
        }
        if (suppressed >= 0)
        {
            Refused(logger, reason, kioskId ?? "(unknown)", detail, suppressed);
        }
        Recorded?.Invoke(refusal);
    }

    [LoggerMessage(100, LogLevel.Warning, "Kiosk message refused ({Reason}) from {Kiosk}: {Detail} ({Suppressed} similar not logged)")]
    private static partial void Refused(ILogger logger, string reason, string kiosk, string detail, int suppressed);

    private readonly record struct Throttle(long LastLogged, int Suppressed);
}
