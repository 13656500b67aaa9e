using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Running;

/// <summary>A step the running-pass tests share: a tap replayed with its own time.</summary>
internal static class RunningSteps
{
    /// <summary>A tap stamped with its own time, as a kiosk replays taps it stored while offline.</summary>
    public static Decision TapScannedAt(this TestSchool school, StudentId student, KioskId kiosk, DateTimeOffset scannedAt) =>
        school.Handle(new Tap(kiosk, CardOf(student), scannedAt, Actor.OfKiosk(kiosk)));
}
