using Microsoft.Extensions.Time.Testing;

namespace PassTrack.Kiosk.Hardware.Simulated.Chips;

internal static class Elapse
{
    /// <summary>
    /// Moves the clock a millisecond at a time. FakeTimeProvider.Advance runs due timers at the end time, so a timer
    /// re-armed from its own callback would otherwise step once per Advance instead of as the time passes.
    /// </summary>
    public static void Run(this FakeTimeProvider time, TimeSpan span)
    {
        for (var left = span; left > TimeSpan.Zero; left -= TimeSpan.FromMilliseconds(1))
        {
            time.Advance(left < TimeSpan.FromMilliseconds(1) ? left : TimeSpan.FromMilliseconds(1));
        }
    }
}
