using Microsoft.Extensions.Time.Testing;
using PassTrack.Edge.Passes;

namespace PassTrack.Edge.Tests.Store;

public class FingerprintSetTests
{
    private static readonly long Hour = (long)TimeSpan.FromHours(1).TotalMilliseconds;
    private static readonly long Nine = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public void A_fingerprint_is_found_with_the_millisecond_it_was_added_and_others_are_not()
    {
        var set = new FingerprintSet();
        for (ulong f = 1; f <= 5_000; f++)
        {
            set.Add(Spread(f), Nine + (long)f);
        }

        Assert.Equal(5_000, set.Count);
        Assert.Equal(new FingerprintHit(true, false, Nine + 1234), set.Find(Spread(1234)));
        Assert.False(set.Find(42).Found);
        // Zero is a fingerprint like any other, though it marks empty slots inside.
        set.Add(0, Nine + 7);
        Assert.Equal(Nine + 7, set.Find(0).AtUnixMs);
    }

    private static ulong Spread(ulong value) => unchecked(value * 0x9E3779B97F4A7C15UL);

    [Fact]
    public void One_fingerprint_at_two_times_is_shared_within_a_bucket_and_across_buckets()
    {
        var set = new FingerprintSet();
        set.Add(11, Nine);
        set.Add(11, Nine);
        Assert.False(set.Find(11).Shared);
        set.Add(11, Nine + 5);
        Assert.True(set.Find(11).Shared);

        set.Add(22, Nine + 10);
        set.Add(22, Nine + Hour + 10);
        Assert.Equal(2, set.BucketCount);
        Assert.True(set.Find(22).Shared);
        Assert.Equal(3, set.Count);
    }

    [Fact]
    public void Buckets_are_dropped_whole_once_every_scan_in_them_is_older_than_the_cutoff()
    {
        var set = new FingerprintSet();
        set.Add(1, Nine + 10);
        set.Add(2, Nine + Hour - 1);
        set.Add(3, Nine + Hour);
        set.Add(4, Nine + (2 * Hour) + 30);
        Assert.Equal(3, set.BucketCount);

        set.DropBefore(Nine + Hour - 1);
        Assert.Equal(3, set.BucketCount);
        Assert.True(set.Find(1).Found);
        Assert.Equal(long.MinValue, set.CoversFromUnixMs);

        set.DropBefore(Nine + Hour);
        Assert.Equal(2, set.BucketCount);
        Assert.False(set.Find(1).Found);
        Assert.False(set.Find(2).Found);
        Assert.True(set.Find(3).Found);
        Assert.Equal(2, set.Count);
        Assert.Equal(Nine + Hour, set.CoversFromUnixMs);
    }

    [Fact]
    public void At_its_cap_the_set_drops_its_oldest_bucket_and_says_it_covers_less()
    {
        var set = new FingerprintSet(capacity: 4_000, bucketCapacity: 1_000);
        for (ulong f = 1; f <= 10_000; f++)
        {
            set.Add(f, Nine + (long)f);
            Assert.True(set.Count <= 4_000);
        }

        Assert.Equal(4, set.BucketCount);
        Assert.Equal(4_000, set.Count);
        Assert.False(set.Find(6_000).Found);
        Assert.Equal(Nine + 6_001, set.Find(6_001).AtUnixMs);
        Assert.Equal(Nine + 10_000, set.Find(10_000).AtUnixMs);
        Assert.Equal(Nine + 6_001, set.CoversFromUnixMs);
    }

    [Fact]
    public void Memory_stays_bounded_by_the_cap_whatever_the_traffic()
    {
        var set = new FingerprintSet(capacity: 8 * 3_072, bucketCapacity: 3_072);
        var random = new Random(7);
        for (var i = 0; i < 200_000; i++)
        {
            set.Add((ulong)random.NextInt64(), Nine + i);
        }

        // Full buckets sit at three quarters of a 4,096-slot table: 12 bytes a slot.
        Assert.True(set.Bytes <= 9L * 4_096 * 12, $"{set.Bytes} bytes");
        Assert.True(set.Count <= set.Capacity);
    }

    [Fact]
    public void The_ledger_sends_scans_to_the_store_once_its_cap_pushed_them_out_and_not_new_ones()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 15, 0, 0, TimeSpan.Zero));
        var ledger = new ScanLedger(maxFingerprints: FingerprintSet.BucketCapacity);
        ledger.Reset(clock.GetUtcNow() - ScanLedger.KeyWindow);
        var first = new ScanKey("kiosk-a101", "scan-0");
        var madeAt = clock.GetUtcNow();
        ledger.Add(first, madeAt.ToUnixTimeMilliseconds(), null);
        Assert.Equal(new ScanLookup(madeAt.ToUnixTimeMilliseconds(), madeAt.ToUnixTimeMilliseconds()), ledger.WhereToLook(first, madeAt));

        // A flood fills the bucket and the next scan starts another: the first bucket goes, and with it the coverage.
        for (var i = 1; i <= FingerprintSet.BucketCapacity; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(1));
            ledger.Add(new ScanKey("kiosk-a101", $"scan-{i}"), clock.GetUtcNow().ToUnixTimeMilliseconds(), null);
        }

        Assert.Equal(1, ledger.Count);
        Assert.True(ledger.CoversSince > madeAt);
        Assert.True(ledger.MustAskStore(first, madeAt));
        Assert.False(ledger.MustAskStore(new ScanKey("kiosk-a101", "scan-new"), clock.GetUtcNow() + ScanLedger.ClockSkew));
    }

    [Fact]
    public void The_ledger_forgets_a_day_old_hour_and_starts_its_window_later()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var ledger = new ScanLedger();
        ledger.Reset(clock.GetUtcNow() - ScanLedger.KeyWindow);
        var morning = new ScanKey("kiosk-a101", "morning");
        ledger.Add(morning, clock.GetUtcNow().ToUnixTimeMilliseconds(), null);
        clock.Advance(TimeSpan.FromHours(2));
        var later = new ScanKey("kiosk-a101", "later");
        ledger.Add(later, clock.GetUtcNow().ToUnixTimeMilliseconds(), null);

        clock.Advance(TimeSpan.FromHours(23));
        ledger.Evict(clock.GetUtcNow());

        Assert.Equal(1, ledger.Count);
        Assert.Equal(clock.GetUtcNow() - ScanLedger.KeyWindow, ledger.CoversSince);
        Assert.True(ledger.MustAskStore(later, clock.GetUtcNow()));
        // The morning's scan, sent again, is older than the window: the store is asked, from when it was made.
        Assert.NotNull(ledger.WhereToLook(morning, clock.GetUtcNow() - TimeSpan.FromHours(25)));
    }
}
