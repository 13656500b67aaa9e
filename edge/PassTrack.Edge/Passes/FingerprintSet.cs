namespace PassTrack.Edge.Passes;

/// <summary>What <see cref="FingerprintSet.Find"/> knows of a fingerprint.</summary>
public readonly record struct FingerprintHit(bool Found, bool Shared, long AtUnixMs);

/// <summary>
/// 64-bit fingerprints, each with the millisecond its scan was received, in memory that is bounded by design: entries
/// go into buckets of at most an hour (and at most <see cref="BucketCapacity"/> entries), each an open-addressing table
/// of two plain arrays (12 bytes a slot, no object per entry), and whole buckets are dropped when they age out or when
/// the set would hold more than its capacity. <see cref="CoversFromUnixMs"/> says from when the set is still complete,
/// so the caller knows which scans it must check against the store. Not thread-safe: the caller locks.
/// </summary>
public sealed class FingerprintSet
{
    /// <summary>Entries a bucket takes before it is sealed: three quarters of its largest table.</summary>
    public const int BucketCapacity = 98_304;

    /// <summary>The default cap: over two hours of scans at 200/s, weeks of a real building's day.</summary>
    public const int DefaultCapacity = 16 * BucketCapacity;

    private const int SharedOffset = int.MinValue;

    private readonly List<Bucket> _buckets = [];
    private readonly long _spanMs;
    private readonly int _bucketCapacity;

    /// <param name="capacity">At most this many fingerprints are held; the oldest buckets go first.</param>
    /// <param name="bucketSpan">How much time one bucket covers (an hour unless a test says otherwise).</param>
    /// <param name="bucketCapacity">Entries per bucket before it is sealed.</param>
    public FingerprintSet(int capacity = DefaultCapacity, TimeSpan? bucketSpan = null, int bucketCapacity = BucketCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, bucketCapacity);
        Capacity = capacity;
        _bucketCapacity = bucketCapacity;
        _spanMs = (long)(bucketSpan ?? TimeSpan.FromHours(1)).TotalMilliseconds;
    }

    public int Capacity { get; }

    public int Count { get; private set; }

    public int BucketCount => _buckets.Count;

    /// <summary>Every fingerprint added with a time from here on is still held (long.MinValue until a bucket is dropped).</summary>
    public long CoversFromUnixMs { get; private set; } = long.MinValue;

    /// <summary>Bytes of the tables held: what the set costs, whatever its count.</summary>
    public long Bytes
    {
        get
        {
            long bytes = 0;
            foreach (var bucket in _buckets)
            {
                bytes += bucket.Bytes;
            }
            return bytes;
        }
    }

    public void Clear()
    {
        _buckets.Clear();
        Count = 0;
        CoversFromUnixMs = long.MinValue;
    }

    public void Add(ulong fingerprint, long atUnixMs)
    {
        var current = _buckets.Count == 0 ? null : _buckets[^1];
        if (current is null || current.Count >= _bucketCapacity || atUnixMs >= current.SealAtMs)
        {
            if (Count + 1 > Capacity)
            {
                DropOldest();
            }
            current = new Bucket(atUnixMs, atUnixMs - Mod(atUnixMs, _spanMs) + _spanMs);
            _buckets.Add(current);
        }
        else if (Count + 1 > Capacity)
        {
            DropOldest();
        }
        if (current.Add(fingerprint, atUnixMs))
        {
            Count++;
        }
    }

    /// <summary>Whether the fingerprint is held, and when its scan was received; shared when two times claim it.</summary>
    public FingerprintHit Find(ulong fingerprint)
    {
        FingerprintHit hit = default;
        // Newest first: a scan asked about again is usually recent. A second bucket holding it makes it shared.
        for (var i = _buckets.Count - 1; i >= 0; i--)
        {
            if (_buckets[i].Find(fingerprint) is not { } at)
            {
                continue;
            }
            if (at == long.MinValue || (hit.Found && hit.AtUnixMs != at))
            {
                return new FingerprintHit(true, true, 0);
            }
            hit = new FingerprintHit(true, false, at);
        }
        return hit;
    }

    /// <summary>Drops every bucket whose scans were all received before <paramref name="cutoffUnixMs"/>.</summary>
    public void DropBefore(long cutoffUnixMs)
    {
        while (_buckets.Count > 0 && _buckets[0].MaxAtMs < cutoffUnixMs)
        {
            DropOldest();
        }
    }

    private void DropOldest()
    {
        var oldest = _buckets[0];
        _buckets.RemoveAt(0);
        Count -= oldest.Count;
        // Later buckets hold everything received after the dropped one's last scan.
        if (oldest.MaxAtMs != long.MinValue)
        {
            CoversFromUnixMs = Math.Max(CoversFromUnixMs, oldest.MaxAtMs + 1);
        }
    }

    private static long Mod(long value, long span) => ((value % span) + span) % span;

    /// <summary>One open-addressing table: a fingerprint (0 marks an empty slot) and its time as an offset from the base.</summary>
    private sealed class Bucket(long baseMs, long sealAtMs)
    {
        private ulong[] _keys = new ulong[1024];
        private int[] _offsets = new int[1024];

        public long SealAtMs { get; } = sealAtMs;

        public long MaxAtMs { get; private set; } = long.MinValue;

        public int Count { get; private set; }

        public long Bytes => (long)_keys.Length * (sizeof(ulong) + sizeof(int));

        /// <summary>False when it was held already (a second time for it marks it shared).</summary>
        public bool Add(ulong fingerprint, long atMs)
        {
            MaxAtMs = Math.Max(MaxAtMs, atMs);
            var key = fingerprint == 0 ? 1 : fingerprint;
            var delta = atMs - baseMs;
            // A time that does not fit (a clock set back past the bucket's start) is kept as shared: always asked.
            var offset = delta is >= 0 and < int.MaxValue ? (int)delta : SharedOffset;
            var mask = _keys.Length - 1;
            var slot = (int)Spread(key) & mask;
            while (_keys[slot] != 0)
            {
                if (_keys[slot] == key)
                {
                    if (_offsets[slot] != offset)
                    {
                        _offsets[slot] = SharedOffset;
                    }
                    return false;
                }
                slot = (slot + 1) & mask;
            }
            _keys[slot] = key;
            _offsets[slot] = offset;
            Count++;
            if (Count * 4L > _keys.Length * 3L)
            {
                Grow();
            }
            return true;
        }

        /// <summary>The time held for the fingerprint; long.MinValue when shared; null when absent.</summary>
        public long? Find(ulong fingerprint)
        {
            var key = fingerprint == 0 ? 1 : fingerprint;
            var mask = _keys.Length - 1;
            var slot = (int)Spread(key) & mask;
            while (_keys[slot] is var k && k != 0)
            {
                if (k == key)
                {
                    return _offsets[slot] == SharedOffset ? long.MinValue : baseMs + _offsets[slot];
                }
                slot = (slot + 1) & mask;
            }
            return null;
        }

        private void Grow()
        {
            var keys = _keys;
            var offsets = _offsets;
            _keys = new ulong[keys.Length * 2];
            _offsets = new int[keys.Length * 2];
            var mask = _keys.Length - 1;
            for (var i = 0; i < keys.Length; i++)
            {
                if (keys[i] == 0)
                {
                    continue;
                }
                var slot = (int)Spread(keys[i]) & mask;
                while (_keys[slot] != 0)
                {
                    slot = (slot + 1) & mask;
                }
                _keys[slot] = keys[i];
                _offsets[slot] = offsets[i];
            }
        }

        // Fingerprints are hashes already; folding the high half in keeps slots even if a caller's are not.
        private static ulong Spread(ulong key) => key ^ (key >> 32);
    }
}
