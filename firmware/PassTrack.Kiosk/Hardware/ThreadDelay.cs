using System.Diagnostics;

namespace PassTrack.Kiosk.Hardware;

/// <summary>
/// The data sheets' waits on real hardware: microseconds are spun (a sleep would take a scheduler tick), longer
/// waits block the driver's own thread, which owns the bus and has nothing else to do meanwhile.
/// </summary>
public sealed class ThreadDelay : IHardwareDelay
{
    public static readonly ThreadDelay Instance = new();

    private static readonly TimeSpan SpinBelow = TimeSpan.FromMilliseconds(2);

    public void Wait(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return;
        }
        if (duration >= SpinBelow)
        {
            // A driver's own thread, not the scan loop's: the ban on blocking waits is for application code.
#pragma warning disable RS0030
            Thread.Sleep(duration);
#pragma warning restore RS0030
            return;
        }
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var spinner = new SpinWait();
        while (Stopwatch.GetTimestamp() < until)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }
}
