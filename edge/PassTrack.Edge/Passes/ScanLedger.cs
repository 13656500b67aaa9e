using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Text;
using PassTrack.Contracts;
using PassTrack.Contracts.Passes;
using PassTrack.Rules.Decisions;

namespace PassTrack.Edge.Passes;

/// <summary>Scans received from <paramref name="FromUnixMs"/> to <paramref name="ToUnixMs"/> (inclusive) are the ones to check.</summary>
public readonly record struct ScanLookup(long FromUnixMs, long ToUnixMs);

/// <summary>What a recent scan was answered, as much as a following choice needs to know.</summary>

public sealed record RecentScan(Outcome Outcome, string? StudentId, long? PassId, Language Language, long ReceivedAtUnixMs)
{
    /// <summary>The staff member a staff card identified, for the staff action that follows.</summary>
    public string? StaffId { get; init; }

    /// <summary>What a stored reply says the scan decided; null if it identified nobody.</summary>
    public static RecentScan? FromReply(byte[] stored, long receivedAtUnixMs) =>
        Kiosks.KioskReplies.Read(stored) is { } reply && (reply.StudentId is not null || reply.StaffId is not null)
            ? new RecentScan(
                reply.Outcome,
                reply.StudentId,
                long.TryParse(reply.PassId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pass) ? pass : null,
                reply.Language,
                receivedAtUnixMs) { StaffId = reply.StaffId }
            : null;
}

/// <summary>
/// The scans the writer has answered lately, kept in memory so the hot path seldom asks SQLite:
/// a 64-bit fingerprint of every scan key received within <see cref="KeyWindow"/> (is this scan new?), and what the
/// last <see cref="RecentWindow"/> of scans decided (which student did the scan a choice refers to identify?).
/// A fingerprint match, or a scan made before the window, is settled by the store: it stays the authority. Each
/// fingerprint keeps when its scan was received, so the store is asked about one millisecond of its time-ordered
/// scan log, not searched by key: the log needs no key index, whose random inserts cost more than the scans did.
/// The fingerprints live in a <see cref="FingerprintSet"/>: hour buckets of plain arrays, dropped whole once a day
/// old, and capped, so memory is bounded whatever the traffic; past the cap the oldest hour goes, the window starts
/// later, and scans made before it are checked against the store. Written by the writer after each commit only, so
/// nobody sees an answer that is not durable.
/// </summary>
public sealed class ScanLedger
{
    /// <summary>Every scan received within this long is fingerprinted.</summary>
    public static readonly TimeSpan KeyWindow = TimeSpan.FromHours(24);

    /// <summary>What recent scans decided is kept this long: longer than a kiosk's choose window.</summary>
    public static readonly TimeSpan RecentWindow = TimeSpan.FromMinutes(10);

    /// <summary>
    /// At most this many recent answers are held, so a flood cannot grow memory without bound; an answer pushed out
    /// early is still in the store, where a choice that needs it looks.
    /// </summary>
    public const int MaxRecent = 20_000;

    /// <summary>Kiosks keep time from the edge; allow this much disagreement before trusting a kiosk's clock.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromHours(1);

    private readonly Lock _gate = new();
    private readonly FingerprintSet _fingerprints;
    private readonly ConcurrentDictionary<ScanKey, RecentScan> _recent = new();
    private readonly Queue<(ScanKey Key, long At)> _recentByAge = new();
    private long _coversSinceMs;

    /// <param name="maxFingerprints">The fingerprints held at most; past it the oldest hour's go, and the store answers for them.</param>
    public ScanLedger(int maxFingerprints = FingerprintSet.DefaultCapacity)
    {
        _fingerprints = new FingerprintSet(maxFingerprints);
    }

    /// <summary>Every scan received since this moment has its fingerprint here.</summary>
    public DateTimeOffset CoversSince => DateTimeOffset.FromUnixTimeMilliseconds(Volatile.Read(ref _coversSinceMs));

    /// <summary>Bytes the fingerprints' tables take.</summary>
    public long FingerprintBytes
    {
        get
        {
            lock (_gate)
            {
                return _fingerprints.Bytes;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _fingerprints.Count;
            }
        }
    }

    /// <summary>Whether the store must be asked about this scan: it may have been seen, or it is older than what is held here.</summary>
    public bool MustAskStore(ScanKey key, DateTimeOffset madeAt) => WhereToLook(key, madeAt) is not null;

    /// <summary>
    /// Where in the store's scan log (by time received) this scan would be if it was seen before; null when it is new
    /// for certain. A fingerprint names the very millisecond; a scan older than the window could be anywhere from
    /// when it was made (less the clock skew) to where the window starts.
    /// </summary>
    public ScanLookup? WhereToLook(ScanKey key, DateTimeOffset madeAt)
    {
        var fingerprint = Fingerprint(key);
        FingerprintHit hit;
        lock (_gate)
        {
            hit = _fingerprints.Find(fingerprint);
        }
        if (hit.Found)
        {
            return hit.Shared
                ? new ScanLookup((CoversSince - ClockSkew).ToUnixTimeMilliseconds(), long.MaxValue)
                : new ScanLookup(hit.AtUnixMs, hit.AtUnixMs);
        }
        var covers = CoversSince;
        return madeAt < covers + ClockSkew
            ? new ScanLookup((madeAt - ClockSkew).ToUnixTimeMilliseconds(), (covers + ClockSkew).ToUnixTimeMilliseconds())
            : null;
    }

    /// <summary>What a scan decided, if it was answered within <see cref="RecentWindow"/>.</summary>
    public RecentScan? Recent(ScanKey key) => _recent.TryGetValue(key, out var scan) ? scan : null;

    /// <summary>Starts covering from <paramref name="since"/>: the caller then adds every scan the store holds after it.</summary>
    internal void Reset(DateTimeOffset since)
    {
        lock (_gate)
        {
            _fingerprints.Clear();
        }
        _recent.Clear();
        _recentByAge.Clear();
        Volatile.Write(ref _coversSinceMs, since.ToUnixTimeMilliseconds());
    }

    internal void Add(ScanKey key, long receivedAtMs, RecentScan? recent)
    {
        var fingerprint = Fingerprint(key);
        lock (_gate)
        {
            // Two keys with one fingerprint at different times become shared: either may be asked about, so the whole
            // window is searched. At its cap the set drops its oldest bucket: from then on it covers less.
            _fingerprints.Add(fingerprint, receivedAtMs);
            RaiseCoverage(_fingerprints.CoversFromUnixMs);
        }
        if (recent is not null && _recent.TryAdd(key, recent))
        {
            _recentByAge.Enqueue((key, receivedAtMs));
            if (_recentByAge.Count > MaxRecent)
            {
                _recent.TryRemove(_recentByAge.Dequeue().Key, out _);
            }
        }
    }

    internal static RecentScan? Summarise(Decision decision, long receivedAtMs) =>
        decision.Student is null && decision.Staff is null
            ? null
            : new RecentScan(decision.Outcome, decision.Student?.Value, decision.Pass?.Value, decision.Language, receivedAtMs) { StaffId = decision.Staff?.Value };

    /// <summary>Forgets what has aged out; the window then starts later.</summary>
    internal void Evict(DateTimeOffset now)
    {
        var keyCutoff = (now - KeyWindow).ToUnixTimeMilliseconds();
        lock (_gate)
        {
            // Whole buckets go once all their scans are older than the window; a bucket still straddling it is kept.
            _fingerprints.DropBefore(keyCutoff);
            RaiseCoverage(Math.Max(keyCutoff, _fingerprints.CoversFromUnixMs));
        }
        var recentCutoff = (now - RecentWindow).ToUnixTimeMilliseconds();
        while (_recentByAge.TryPeek(out var old) && old.At < recentCutoff)
        {
            _recentByAge.Dequeue();
            _recent.TryRemove(old.Key, out _);
        }
    }

    private void RaiseCoverage(long sinceMs)
    {
        if (sinceMs > Volatile.Read(ref _coversSinceMs))
        {
            Volatile.Write(ref _coversSinceMs, sinceMs);
        }
    }

    private static ulong Fingerprint(ScanKey key)
    {
        Span<byte> buffer = stackalloc byte[512];
        var length = Encoding.UTF8.GetBytes(key.KioskId, buffer);
        buffer[length++] = 0;
        length += Encoding.UTF8.GetBytes(key.ScanId.AsSpan(0, Math.Min(key.ScanId.Length, 120)), buffer[length..]);
        return XxHash64.HashToUInt64(buffer[..length]);
    }
}
