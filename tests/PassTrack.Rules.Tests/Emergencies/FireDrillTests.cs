using PassTrack.Rules.Emergencies;
using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Emergencies;

/// <summary>Rule 1: a fire drill ends every active pass at once and refuses new ones until it is cleared.</summary>
public class FireDrillTests
{
    [Fact]
    public void A_fire_drill_ends_every_active_pass()
    {
        var school = new TestSchool().At(9, 10);
        var ana = school.Request(Ana, RestroomA);
        var dev = school.Request(Dev, Library);
        var gus = school.Request(Gus, Office);
        school.Clock.Advance(TimeSpan.FromMinutes(3));
        var drillAt = school.Now;

        var decision = school.FireDrill();

        Assert.Equal(Outcome.Accepted, decision.Outcome);
        foreach (var granted in new[] { ana, dev, gus })
        {
            var pass = school.Pass(granted);
            Assert.Equal(PassState.Terminated, pass.State);
            Assert.Equal(TransitionCause.FireDrill, pass.EndCause);
            Assert.Equal(drillAt, pass.EndedAt);
            Assert.Equal(TimeSpan.FromMinutes(3), pass.Duration);
        }
        Assert.Empty(school.Building.ActivePasses);
        Assert.Equal(0, school.Building.InHalls);
        var started = Assert.Single(school.EventsOf<EmergencyStarted>());
        Assert.Equal(EmergencyKind.FireDrill, started.Kind);
        Assert.Equal(new[] { Ana, Dev, Gus }, started.StudentsOut.Select(s => s.Student).ToArray());
        Assert.Equal(EmergencyKind.FireDrill, school.Building.Emergency!.Kind);
        Assert.Equal(3, school.Building.Emergency.StudentsOut.Count);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_fire_drill_cancels_passes_waiting_in_line_or_for_approval()
    {
        var school = new TestSchool().At(9, 10);
        school.Request(Ana, RestroomA);
        var ben = school.Request(Ben, RestroomA);
        var dev = school.Request(Dev, Counselor);
        Assert.Equal(Outcome.Queued, ben.Outcome);
        Assert.Equal(Outcome.PendingApproval, dev.Outcome);

        school.FireDrill();

        Assert.Equal(PassState.Cancelled, school.Pass(ben).State);
        Assert.Equal(TransitionCause.FireDrill, school.Pass(ben).EndCause);
        Assert.Equal(PassState.Cancelled, school.Pass(dev).State);
        Assert.Equal(TransitionCause.FireDrill, school.Pass(dev).EndCause);
        Assert.Empty(school.Building.QueueOf(RestroomA));
        Assert.Empty(school.Building.OpenPasses);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void New_passes_are_refused_until_the_fire_drill_is_cleared()
    {
        var school = new TestSchool().At(9, 10);
        school.FireDrill();

        var request = school.Request(Ana, RestroomA);
        var tap = school.Tap(Ben, KioskA101);
        var teacher = school.StaffRequest(TeacherA102, Dev, Nurse);
        school.Wait(TimeSpan.FromMinutes(15));
        var later = school.Request(Ana, RestroomA);

        Assert.Equal(Outcome.Refused, request.Outcome);
        Assert.Equal(ReasonCode.FireDrill, request.Reason);
        Assert.Equal(new[] { "FIRE DRILL", "No passes.", "Follow your teacher." }, request.StudentMessage.English);
        Assert.Equal("Refused: a fire drill is in progress.", request.StaffExplanation);
        Assert.Equal(ReasonCode.FireDrill, tap.Reason);
        Assert.Equal(Outcome.Refused, tap.Outcome);
        Assert.Equal(ReasonCode.FireDrill, teacher.Reason);
        Assert.Equal(ReasonCode.FireDrill, later.Reason);
        Assert.Empty(school.EventsOf<PassCreated>());
        Assert.Equal(4, school.EventsOf<RequestRefused>().Count(r => r.Reason == ReasonCode.FireDrill));

        school.ClearEmergency();
        var afterClear = school.Request(Ana, RestroomA);

        Assert.Equal(Outcome.Granted, afterClear.Outcome);
        Assert.Equal(PassState.Active, school.Pass(afterClear).State);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_student_who_was_out_when_the_drill_began_is_accounted_for_at_a_kiosk()
    {
        var school = new TestSchool().At(9, 10);
        school.Request(Dev, Water);
        school.FireDrill();

        var decision = school.Tap(Dev, KioskA101);

        Assert.Equal(Outcome.Status, decision.Outcome);
        Assert.Equal(ReasonCode.AccountedFor, decision.Reason);
        Assert.Equal(A101, school.Building.Emergency!.StudentsOut.Single().AccountedIn);
        Assert.Empty(school.Building.Emergency.Unaccounted);
        Assert.Equal(ReasonCode.FireDrill, school.Tap(Dev, KioskA102).Reason);
        school.AssertRebuildsIdentically();
    }
}
