using System.Collections.Concurrent;

namespace PassTrack.Edge.Kiosks;

/// <summary>
/// A token bucket per kiosk on the injected clock: a kiosk may send a burst of up to <c>perSecond</c> messages and then
/// <c>perSecond</c> a second. A kiosk replaying its queue after an outage stays well inside it; a broken or hostile one
/// is held to it without touching anyone else's bucket.
/// </summary>
public sealed class KioskRateLimiter(TimeProvider time, int perSecond)
{
    private readonly double _rate = Math.Max(1, perSecond);
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    public bool TryTake(string kioskId)
    {
        var now = time.GetTimestamp();
        var bucket = _buckets.GetOrAdd(kioskId, static (_, state) => new Bucket(state.Rate, state.Now), (Rate: _rate, Now: now));
        lock (bucket)
        {
            var refill = time.GetElapsedTime(bucket.Stamp, now).TotalSeconds * _rate;
            if (refill > 0)
            {
                bucket.Tokens = Math.Min(_rate, bucket.Tokens + refill);
                bucket.Stamp = now;
            }
            if (bucket.Tokens < 1)
            {
                return false;
            }
            bucket.Tokens -= 1;
            return true;
        }
    }

    private sealed class Bucket(double tokens, long stamp)
    {
        public double Tokens { get; set; } = tokens;

        public long Stamp { get; set; } = stamp;
    }
}
