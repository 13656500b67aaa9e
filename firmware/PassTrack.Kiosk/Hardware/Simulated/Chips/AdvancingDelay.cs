using Microsoft.Extensions.Time.Testing;

namespace PassTrack.Kiosk.Hardware.Simulated.Chips;

/// <summary>The driver's waits move the fake clock, so the simulated chip's timer and start-up see time pass.</summary>
internal sealed class AdvancingDelay(FakeTimeProvider time) : IHardwareDelay
{
    public void Wait(TimeSpan duration) => time.Advance(duration);
}
