using PassTrack.Rules.Emergencies;
using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Emergencies;

/// <summary>Rule 1: who may start and clear an emergency, and what clearing gives back.</summary>
public class StartingAndClearingEmergenciesTests
{
    [Fact]
    public void Clearing_a_lockdown_lets_passes_be_granted_again()
    {
        var school = new TestSchool().At(9, 10);
        school.Lockdown();
        Assert.Equal(ReasonCode.Lockdown, school.Request(Ana, RestroomA).Reason);

        school.Clock.Advance(TimeSpan.FromMinutes(10));
        var cleared = school.ClearEmergency();
        var decision = school.Request(Ana, RestroomA);
        var tap = school.Tap(Ben, KioskA101);

        Assert.Equal(Outcome.Accepted, cleared.Outcome);
        Assert.Null(school.Building.Emergency);
        var clearedEvent = Assert.Single(school.EventsOf<EmergencyCleared>());
        Assert.Equal(EmergencyKind.Lockdown, clearedEvent.Kind);
        Assert.Equal(Principal, clearedEvent.Actor);
        Assert.Equal(Outcome.Granted, decision.Outcome);
        Assert.Equal(PassState.Active, school.Pass(decision).State);
        Assert.Equal(Outcome.Identified, tap.Outcome);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Passes_ended_by_the_lockdown_stay_ended_after_it_is_cleared()
    {
        var school = new TestSchool().At(9, 10);
        var ana = school.Request(Ana, RestroomA);
        school.Lockdown();

        school.ClearEmergency();

        Assert.Equal(PassState.Terminated, school.Pass(ana).State);
        Assert.Null(school.Building.OpenPassOf(Ana));
        // A tap after the all-clear is an ordinary tap: no pass to return from.
        Assert.Equal(Outcome.Identified, school.Tap(Ana, KioskA101).Outcome);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_teacher_may_start_and_clear_a_lockdown()
    {
        var school = new TestSchool().At(9, 10);

        var started = school.Lockdown(TeacherA101);
        Assert.Equal(Outcome.Accepted, started.Outcome);
        Assert.Equal(TeacherA101, school.Building.Emergency!.StartedBy);

        var cleared = school.ClearEmergency(TeacherA102);
        Assert.Equal(Outcome.Accepted, cleared.Outcome);
        Assert.Null(school.Building.Emergency);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Staff_without_the_emergency_permission_cannot_start_a_lockdown_or_fire_drill()
    {
        var school = new TestSchool().At(9, 10);
        school.Request(Ana, RestroomA);
        var eventsBefore = school.Events.Count;

        var lockdown = school.Lockdown(Substitute);
        var drill = school.FireDrill(Substitute);

        Assert.Equal(Outcome.Refused, lockdown.Outcome);
        Assert.Equal(ReasonCode.NotPermitted, lockdown.Reason);
        Assert.Equal(ReasonCode.NotPermitted, drill.Reason);
        Assert.Null(school.Building.Emergency);
        Assert.Equal(eventsBefore, school.Events.Count);
        Assert.Equal(PassState.Active, school.Building.OpenPassOf(Ana)!.State);
        Assert.Equal(Outcome.Granted, school.Request(Dev, Water).Outcome);
    }

    [Fact]
    public void Staff_without_the_emergency_permission_cannot_clear_a_lockdown()
    {
        var school = new TestSchool().At(9, 10);
        school.Lockdown();

        var decision = school.ClearEmergency(Substitute);

        Assert.Equal(Outcome.Refused, decision.Outcome);
        Assert.Equal(ReasonCode.NotPermitted, decision.Reason);
        Assert.NotNull(school.Building.Emergency);
        Assert.Empty(school.EventsOf<EmergencyCleared>());
        Assert.Equal(ReasonCode.Lockdown, school.Request(Ana, RestroomA).Reason);
    }

    [Fact]
    public void A_student_cannot_start_a_lockdown()
    {
        var school = new TestSchool().At(9, 10);

        var decision = school.Lockdown(Actor.OfStudent(Ana));

        Assert.Equal(ReasonCode.NotPermitted, decision.Reason);
        Assert.Null(school.Building.Emergency);
        Assert.Empty(school.Events);
    }

    [Fact]
    public void Clearing_when_no_emergency_is_in_force_changes_nothing()
    {
        var school = new TestSchool().At(9, 10);

        var decision = school.ClearEmergency();

        Assert.Equal(Outcome.Refused, decision.Outcome);
        Assert.Equal(ReasonCode.InvalidTransition, decision.Reason);
        Assert.Empty(school.Events);
    }
}
