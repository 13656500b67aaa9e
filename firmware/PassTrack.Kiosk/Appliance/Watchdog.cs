using Microsoft.Extensions.Hosting.Systemd;

namespace PassTrack.Kiosk.Appliance;

/// <summary>
/// Feeds systemd's watchdog (<c>WatchdogSec=</c> in the unit) only while the kiosk is really working: the scan loop
/// and the flow have gone round recently and the link's sender is alive (connected or retrying: an unreachable edge
/// is something the kiosk handles, not a reason to restart it). Stop feeding and systemd restarts the kiosk.
/// </summary>
public sealed class Watchdog(ISystemdNotifier notifier, TimeProvider time, IReadOnlyList<Func<long>> heartbeats, Func<bool> linkAlive)
{
    /// <summary>The watchdog interval systemd asked for, or null when it did not.</summary>
    public static TimeSpan? Interval =>
        long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), out var usec) && usec > 0 ? TimeSpan.FromMicroseconds(usec) : null;

    public bool Healthy(TimeSpan allowed)
    {
        var now = time.GetTimestamp();
        return linkAlive() && heartbeats.All(last => time.GetElapsedTime(last(), now) < allowed);
    }

    public async Task RunAsync(TimeSpan interval, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval / 2, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                if (Healthy(interval))
                {
                    notifier.Notify(new ServiceState("WATCHDOG=1"));
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
