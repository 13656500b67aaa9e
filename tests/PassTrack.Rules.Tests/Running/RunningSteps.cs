using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Running;

/// <summary>Small steps the running-pass tests share: exact local times, the timer loop at a time, a replayed tap.</summary>
internal static class RunningSteps
{
    /// <summary>A local time on the test school's Tuesday.</summary>
    public static DateTimeOffset Tue(int hour, int minute, int second = 0) => LocalToUtc(Tuesday, new TimeOnly(hour, minute, second));

    /// <summary>Sets the clock to a local time and lets the building's timers run then, as the edge's timer loop does.</summary>
    public static Decision AdvanceTo(this TestSchool school, int hour, int minute, int second = 0)
    {
        school.At(hour, minute, second);
        return school.Handle(new Advance(school.Now));
    }

    /// <summary>A tap stamped with its own time, as a kiosk replays taps it stored while offline.</summary>
    public static Decision TapScannedAt(this TestSchool school, StudentId student, KioskId kiosk, DateTimeOffset scannedAt) =>
        school.Handle(new Tap(kiosk, CardOf(student), scannedAt, Actor.OfKiosk(kiosk)));

    public static IEnumerable<PassTransitioned> TransitionsOf(this TestSchool school, PassId? pass) =>
        school.EventsOf<PassTransitioned>().Where(t => t.Pass == pass);
}
