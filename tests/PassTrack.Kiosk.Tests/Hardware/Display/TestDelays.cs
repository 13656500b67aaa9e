using Microsoft.Extensions.Time.Testing;
using PassTrack.Kiosk.Hardware;

namespace PassTrack.Kiosk.Tests.Hardware.Display;

/// <summary>Waits by moving the fake clock on, as far as the driver asks (times <paramref name="share"/>).</summary>
internal sealed class FakeClockDelay(FakeTimeProvider time, double share = 1.0) : IHardwareDelay
{
    public void Wait(TimeSpan duration) => time.Advance(duration * share);
}

/// <summary>A delay that does not wait at all.</summary>
internal sealed class NoDelay : IHardwareDelay
{
    public void Wait(TimeSpan duration)
    {
    }
}
