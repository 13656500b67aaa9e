using PassTrack.Rules.Emergencies;
using PassTrack.Rules.Queues;
using PassTrack.Rules.Tests.Calendar;
using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Emergencies;

/// <summary>Rule 1: in lockdown every request is refused, every pass is suspended, and staff see who was out.</summary>
public class LockdownTests
{
    [Fact]
    public void A_request_during_lockdown_is_refused_with_LOCKDOWN_on_the_kiosk()
    {
        var school = new TestSchool().At(9, 10);
        Assert.Equal(Outcome.Accepted, school.Lockdown().Outcome);

        var decision = school.Request(Ana, RestroomA);

        Assert.Equal(Outcome.Refused, decision.Outcome);
        Assert.Equal(ReasonCode.Lockdown, decision.Reason);
        Assert.Equal(new[] { "LOCKDOWN", "No passes.", "Follow staff", "instructions." }, decision.StudentMessage.English);
        Assert.Equal("CIERRE DE EMERGENCIA", decision.StudentMessage.Spanish[0]);
        Assert.Equal("Refused: the building is in lockdown.", decision.StaffExplanation);
        Assert.Null(decision.Pass);
        Assert.Null(school.Building.OpenPassOf(Ana));
        Assert.Empty(school.EventsOf<PassCreated>());
        var refused = Assert.Single(school.EventsOf<RequestRefused>());
        Assert.Equal(ReasonCode.Lockdown, refused.Reason);
        Assert.Equal(Ana, refused.Student);
    }

    [Fact]
    public void A_request_a_teacher_makes_during_lockdown_is_refused_too()
    {
        var school = new TestSchool().At(9, 10);
        school.Lockdown();

        var decision = school.StaffRequest(TeacherA101, Ben, Nurse);

        Assert.Equal(Outcome.Refused, decision.Outcome);
        Assert.Equal(ReasonCode.Lockdown, decision.Reason);
        Assert.Null(school.Building.OpenPassOf(Ben));
        Assert.Empty(school.EventsOf<PassCreated>());
    }

    [Fact]
    public void Lockdown_comes_before_every_other_rule()
    {
        // Sofia is restricted from the library and 8:56 is inside the start buffer: lockdown is still the answer.
        var school = SchoolAt.Tuesday(8, 56);
        school.Lockdown();

        var decision = school.Request(Sofia, Library);

        Assert.Equal(ReasonCode.Lockdown, decision.Reason);
        Assert.Equal(Language.Spanish, decision.Language);
        Assert.Equal("CIERRE DE EMERGENCIA", decision.StudentMessage.In(decision.Language)[0]);
    }

    [Fact]
    public void A_tap_at_every_kiosk_during_lockdown_is_refused()
    {
        var school = new TestSchool().At(9, 10);
        school.Lockdown();

        (StudentId Student, KioskId Kiosk)[] taps = [(Ana, KioskA101), (Dev, KioskA102), (Fay, KioskB201), (Gus, KioskNurse), (Eli, KioskLibrary)];
        foreach (var (student, kiosk) in taps)
        {
            var decision = school.Tap(student, kiosk);

            Assert.Equal(Outcome.Refused, decision.Outcome);
            Assert.Equal(ReasonCode.Lockdown, decision.Reason);
            Assert.Equal(student, decision.Student);
            Assert.Equal("LOCKDOWN", decision.StudentMessage.English[0]);
        }
        Assert.Equal(taps.Length, school.EventsOf<RequestRefused>().Count(r => r.Reason == ReasonCode.Lockdown));
        Assert.Empty(school.EventsOf<PassCreated>());
    }

    [Fact]
    public void Lockdown_terminates_every_active_pass_and_records_who_was_out()
    {
        var school = new TestSchool().At(9, 10);
        var ana = school.Request(Ana, RestroomA);
        var dev = school.Request(Dev, Water);
        var fay = school.Request(Fay, Nurse);
        Assert.All(new[] { ana, dev, fay }, d => Assert.Equal(Outcome.Granted, d.Outcome));

        school.Clock.Advance(TimeSpan.FromMinutes(2));
        var lockdownAt = school.Now;
        var decision = school.Lockdown();

        Assert.Equal(Outcome.Accepted, decision.Outcome);
        foreach (var granted in new[] { ana, dev, fay })
        {
            var pass = school.Pass(granted);
            Assert.Equal(PassState.Terminated, pass.State);
            Assert.Equal(TransitionCause.Lockdown, pass.EndCause);
            Assert.Equal(lockdownAt, pass.EndedAt);
            Assert.Equal(Principal, pass.EndedBy);
        }
        Assert.Empty(school.Building.ActivePasses);
        Assert.Equal(0, school.Building.InHalls);
        Assert.Equal(0, school.Building.OutFrom(A101));
        Assert.Equal(0, school.Building.ActiveAt(RestroomA));

        var started = Assert.Single(school.EventsOf<EmergencyStarted>());
        Assert.Equal(EmergencyKind.Lockdown, started.Kind);
        Assert.Equal(
            new[]
            {
                new StudentOut(Ana, ana.Pass!.Value, A101, RestroomA),
                new StudentOut(Dev, dev.Pass!.Value, A102, Water),
                new StudentOut(Fay, fay.Pass!.Value, B201, Nurse),
            },
            started.StudentsOut);

        var emergency = school.Building.Emergency;
        Assert.NotNull(emergency);
        Assert.Equal(EmergencyKind.Lockdown, emergency.Kind);
        Assert.Equal(lockdownAt, emergency.StartedAt);
        Assert.Equal(Principal, emergency.StartedBy);
        Assert.Equal(new[] { Ana, Dev, Fay }, emergency.StudentsOut.Select(s => s.Student).OrderBy(s => s.Value, StringComparer.Ordinal).ToArray());
        Assert.Equal(3, emergency.Unaccounted.Count());
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Lockdown_with_nobody_out_records_an_empty_list()
    {
        var school = new TestSchool().At(9, 10);

        school.Lockdown();

        var started = Assert.Single(school.EventsOf<EmergencyStarted>());
        Assert.Empty(started.StudentsOut);
        Assert.NotNull(school.Building.Emergency);
        Assert.Empty(school.Building.Emergency.StudentsOut);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Lockdown_cancels_the_line_and_pending_passes_and_nothing_is_offered_during_or_after_it()
    {
        var school = new TestSchool().At(9, 10);
        var ana = school.Request(Ana, RestroomA);
        var ben = school.Request(Ben, RestroomA);
        var dev = school.Request(Dev, RestroomA);
        var carla = school.Request(Carla, Counselor);
        Assert.Equal(Outcome.Granted, ana.Outcome);
        Assert.Equal(Outcome.Queued, ben.Outcome);
        Assert.Equal(Outcome.Queued, dev.Outcome);
        Assert.Equal(Outcome.PendingApproval, carla.Outcome);

        school.Clock.Advance(TimeSpan.FromMinutes(1));
        school.Lockdown();

        Assert.Equal(PassState.Terminated, school.Pass(ana).State);
        foreach (var waiting in new[] { ben, dev, carla })
        {
            var pass = school.Pass(waiting);
            Assert.Equal(PassState.Cancelled, pass.State);
            Assert.Equal(TransitionCause.Lockdown, pass.EndCause);
        }
        Assert.Empty(school.Building.QueueOf(RestroomA));
        Assert.Equal(0, school.Building.Occupancy(RestroomA));
        Assert.Null(school.Building.OpenPassOf(Ben));
        Assert.Null(school.Building.OpenPassOf(Dev));
        Assert.Null(school.Building.OpenPassOf(Carla));
        // Only the student in the halls is on the list; those waiting never left the room.
        Assert.Equal(new[] { Ana }, school.Building.Emergency!.StudentsOut.Select(s => s.Student).ToArray());

        school.Wait(TimeSpan.FromMinutes(5));
        Assert.Empty(school.EventsOf<QueueOfferMade>());

        school.ClearEmergency();
        school.Wait(TimeSpan.FromMinutes(1));
        Assert.Empty(school.EventsOf<QueueOfferMade>());
        Assert.Empty(school.Building.QueueOf(RestroomA));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Lockdown_cancels_a_place_held_for_the_head_of_the_line()
    {
        var school = new TestSchool().At(9, 10);
        school.Request(Ana, RestroomA);
        var ben = school.Request(Ben, RestroomA);
        school.Clock.Advance(TimeSpan.FromMinutes(3));
        school.Tap(Ana, KioskA101);
        Assert.NotNull(school.Pass(ben).ClaimBy);
        Assert.Equal(1, school.Building.Occupancy(RestroomA));

        school.Lockdown();

        var pass = school.Pass(ben);
        Assert.Equal(PassState.Cancelled, pass.State);
        Assert.Equal(TransitionCause.Lockdown, pass.EndCause);
        Assert.Equal(0, school.Building.Occupancy(RestroomA));
        Assert.Empty(school.Building.QueueOf(RestroomA));
        var refused = school.Tap(Ben, KioskA101);
        Assert.Equal(ReasonCode.Lockdown, refused.Reason);
        Assert.Equal(PassState.Cancelled, school.Pass(ben).State);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_student_who_was_out_is_accounted_for_by_tapping_at_any_kiosk()
    {
        var school = new TestSchool().At(9, 10);
        var ana = school.Request(Ana, RestroomA);
        school.Request(Fay, Water);
        school.Clock.Advance(TimeSpan.FromMinutes(1));
        school.Lockdown();

        school.Clock.Advance(TimeSpan.FromMinutes(2));
        var tappedAt = school.Now;
        var decision = school.Tap(Ana, KioskB201);

        Assert.Equal(Outcome.Status, decision.Outcome);
        Assert.Equal(ReasonCode.AccountedFor, decision.Reason);
        Assert.Equal(Ana, decision.Student);
        Assert.Equal("You are checked in.", decision.StudentMessage.English[0]);
        Assert.Contains("checked in at Room B201", decision.StaffExplanation, StringComparison.Ordinal);
        var accounted = Assert.Single(school.EventsOf<StudentAccountedFor>());
        Assert.Equal(Ana, accounted.Student);
        Assert.Equal(B201, accounted.Room);

        var entry = school.Building.Emergency!.StudentsOut.Single(s => s.Student == Ana);
        Assert.Equal(tappedAt, entry.AccountedAt);
        Assert.Equal(B201, entry.AccountedIn);
        Assert.Equal(ana.Pass, entry.Pass);
        Assert.Equal(new[] { Fay }, school.Building.Emergency.Unaccounted.Select(s => s.Student).ToArray());
        // Accounting for a student does not give them a pass back.
        Assert.Null(school.Building.OpenPassOf(Ana));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_second_tap_by_a_student_already_accounted_for_is_refused()
    {
        var school = new TestSchool().At(9, 10);
        school.Request(Ana, RestroomA);
        school.Lockdown();
        Assert.Equal(ReasonCode.AccountedFor, school.Tap(Ana, KioskNurse).Reason);

        var again = school.Tap(Ana, KioskA101);

        Assert.Equal(Outcome.Refused, again.Outcome);
        Assert.Equal(ReasonCode.Lockdown, again.Reason);
        Assert.Single(school.EventsOf<StudentAccountedFor>());
        var entry = school.Building.Emergency!.StudentsOut.Single();
        Assert.Equal(NurseRoom, entry.AccountedIn);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_student_who_was_in_class_is_not_accounted_for_by_a_tap()
    {
        var school = new TestSchool().At(9, 10);
        school.Request(Ana, RestroomA);
        school.Lockdown();

        var decision = school.Tap(Ben, KioskA101);

        Assert.Equal(Outcome.Refused, decision.Outcome);
        Assert.Equal(ReasonCode.Lockdown, decision.Reason);
        Assert.Empty(school.EventsOf<StudentAccountedFor>());
        Assert.Equal(new[] { Ana }, school.Building.Emergency!.Unaccounted.Select(s => s.Student).ToArray());
    }

    [Fact]
    public void Starting_a_lockdown_again_keeps_the_list_of_who_was_out()
    {
        var school = new TestSchool().At(9, 10);
        school.Request(Ana, RestroomA);
        school.Lockdown();

        school.Clock.Advance(TimeSpan.FromMinutes(1));
        var again = school.Lockdown(TeacherA102);

        Assert.Equal(Outcome.Accepted, again.Outcome);
        Assert.Single(school.EventsOf<EmergencyStarted>());
        Assert.Equal(Principal, school.Building.Emergency!.StartedBy);
        Assert.Equal(new[] { Ana }, school.Building.Emergency.Unaccounted.Select(s => s.Student).ToArray());
        school.AssertRebuildsIdentically();
    }
}
