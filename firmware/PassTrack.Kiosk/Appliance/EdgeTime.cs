namespace PassTrack.Kiosk.Appliance;

/// <summary>
/// The kiosk's clock, kept to the edge's: a Pi has no battery clock and may boot with the wrong time, and a scan's
/// time is what a replayed return is applied at. Each <c>TimeSync</c> sets the offset; timers run on the system's.
/// </summary>
public sealed class EdgeTime(TimeProvider system) : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => system.GetUtcNow() + Offset;

    public override TimeZoneInfo LocalTimeZone => system.LocalTimeZone;

    public override long GetTimestamp() => system.GetTimestamp();

    public override long TimestampFrequency => system.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        system.CreateTimer(callback, state, dueTime, period);

    /// <summary>The edge said it is <paramref name="edgeNow"/>: from now on this clock reads the edge's time.</summary>
    public void Sync(DateTimeOffset edgeNow) => Interlocked.Exchange(ref _offsetTicks, (edgeNow - system.GetUtcNow()).Ticks);
}
