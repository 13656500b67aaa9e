namespace PassTrack.Kiosk.Hardware;

/// <summary>
/// The data sheets' waits on real hardware. The drivers talk to their bus synchronously from the thread that polls
/// them, so a wait holds that thread: microseconds are spun (a timer would take a scheduler tick), longer waits block
/// on a signal set by a timer of the <see cref="TimeProvider"/>.
/// </summary>
public sealed class ThreadDelay(TimeProvider time) : IHardwareDelay
{
    public static readonly ThreadDelay Instance = new(TimeProvider.System);

    private static readonly TimeSpan SpinBelow = TimeSpan.FromMilliseconds(2);

    public void Wait(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return;
        }
        if (duration >= SpinBelow)
        {
            using var elapsed = new ManualResetEventSlim();
            using var timer = time.CreateTimer(static state => ((ManualResetEventSlim)state!).Set(), elapsed, duration, Timeout.InfiniteTimeSpan);
            elapsed.Wait();
            return;
        }
        var until = time.GetTimestamp() + (long)(duration.TotalSeconds * time.TimestampFrequency);
        var spinner = new SpinWait();
        while (time.GetTimestamp() < until)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }
}
