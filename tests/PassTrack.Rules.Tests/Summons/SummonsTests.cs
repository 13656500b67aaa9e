using PassTrack.Rules.Encounters;
using PassTrack.Rules.Summons;
using static PassTrack.Rules.Tests.Summons.SummonsSteps;
using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Summons;

public class SummonsTests
{
    [Fact]
    public void A_counselor_summons_by_specialty_goes_to_the_counselor_with_that_specialty()
    {
        var school = WithTwoCounselors().At(9, 10);

        var summoned = school.Summon(CounselorStaff, CollegeCounselor, Ana);

        Assert.Equal(Outcome.Accepted, summoned.Outcome);
        var e = Assert.Single(school.EventsOf<StudentSummoned>());
        Assert.Equal(Ana, e.Student);
        Assert.Equal(Counselor, e.Destination);
        Assert.Equal(SummonsPriority.Routine, e.Priority);
        Assert.Equal(CounselorStaff, e.Actor);
        var pending = school.Building.PendingSummonsOf(Ana);
        Assert.NotNull(pending);
        Assert.Equal(SummonsState.Pending, pending.State);
        Assert.Equal(Counselor, pending.Destination);
        Assert.Null(school.Building.OpenPassOf(Ana));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_counselor_summons_for_another_specialty_goes_to_that_counselor()
    {
        var school = WithTwoCounselors().At(9, 10);

        school.Summon(CounselorStaff, new SummonsTarget(DestinationKind.Counselor, Specialty: "career"), Ana);

        Assert.Equal(CareerCounselor, Assert.Single(school.EventsOf<StudentSummoned>()).Destination);
    }

    [Fact]
    public void A_named_destination_wins_over_the_kind_and_specialty()
    {
        var school = WithTwoCounselors().At(9, 10);

        school.Summon(CounselorStaff, new SummonsTarget(DestinationKind.Counselor, Destination: Office, Specialty: "college"), Ana);

        Assert.Equal(Office, Assert.Single(school.EventsOf<StudentSummoned>()).Destination);
        Assert.Equal(Office, school.Building.PendingSummonsOf(Ana)?.Destination);
    }

    [Fact]
    public void A_summons_is_delivered_to_the_students_homeroom()
    {
        var school = new TestSchool().At(9, 10);

        school.Summon(CounselorStaff, CollegeCounselor, Fay);

        Assert.Equal(B201, Assert.Single(school.EventsOf<StudentSummoned>()).DeliverTo);
        Assert.Equal(B201, school.Building.PendingSummonsOf(Fay)?.DeliverTo);
    }

    [Fact]
    public void A_summons_is_delivered_to_the_timetables_room_for_the_current_period()
    {
        var school = new TestSchool(c => c.ChangeStudent(Ana, s => s with
        {
            Timetable = new Dictionary<string, RoomId> { ["2"] = B201, ["3"] = A102 },
        })).At(9, 10);

        school.Summon(CounselorStaff, CollegeCounselor, Ana);

        Assert.Equal(B201, Assert.Single(school.EventsOf<StudentSummoned>()).DeliverTo);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_summons_between_periods_is_delivered_to_the_homeroom()
    {
        var school = new TestSchool(c => c.ChangeStudent(Ana, s => s with
        {
            Timetable = new Dictionary<string, RoomId> { ["2"] = B201, ["3"] = A102 },
        })).At(9, 47);

        school.Summon(CounselorStaff, CollegeCounselor, Ana);

        Assert.Equal(A101, Assert.Single(school.EventsOf<StudentSummoned>()).DeliverTo);
    }

    [Fact]
    public void The_students_tap_acknowledges_the_summons_and_starts_a_pass_to_that_destination()
    {
        var school = new TestSchool().At(9, 10);
        school.Summon(CounselorStaff, CollegeCounselor, Ana);
        var summons = school.Building.PendingSummonsOf(Ana)!;
        school.At(9, 12);

        var acknowledged = school.Tap(Ana, KioskA101);

        Assert.Equal(Outcome.Granted, acknowledged.Outcome);
        Assert.Equal(ReasonCode.SummonsAcknowledged, acknowledged.Reason);
        Assert.Equal(TimeSpan.FromMinutes(20), acknowledged.TimeLimit);
        var pass = school.Pass(acknowledged);
        Assert.Equal(PassState.Active, pass.State);
        Assert.Equal(Counselor, pass.Destination);
        Assert.Equal(A101, pass.Origin);
        Assert.Equal(PassSource.Summons, pass.Source);
        Assert.Equal(summons.Id, pass.Summons);
        Assert.Equal(Tue(9, 12), pass.StartedAt);
        Assert.True(pass.Exemptions.HasFlag(Exemptions.Summons));
        var start = school.TransitionsOf(pass.Id).Last();
        Assert.Equal(TransitionCause.SummonsAcknowledged, start.Cause);
        Assert.Equal(ReasonCode.SummonsAcknowledged, start.Reason);
        var closed = Assert.Single(school.EventsOf<SummonsClosed>());
        Assert.Equal(summons.Id, closed.Summons);
        Assert.Equal(SummonsState.Acknowledged, closed.State);
        Assert.Equal(pass.Id, closed.Pass);
        Assert.Equal(SummonsState.Acknowledged, summons.State);
        Assert.Equal(pass.Id, summons.Pass);
        Assert.Null(school.Building.PendingSummonsOf(Ana));
        Assert.Equal(new[] { "You are called to", "Counselor", "Pass started", "20 minutes" }, acknowledged.StudentMessage.English);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Acknowledging_a_summons_bypasses_a_full_destination_and_records_it()
    {
        var school = new TestSchool().At(9, 10);
        Assert.True(school.Request(Dev, Nurse).IsGranted);
        Assert.True(school.Request(Fay, Nurse).IsGranted);
        Assert.Equal(Outcome.Queued, school.Request(Eli, Nurse).Outcome);
        school.Summon(Principal, new SummonsTarget(DestinationKind.Nurse, Destination: Nurse), Ana);

        var acknowledged = school.Tap(Ana, KioskA101);

        Assert.Equal(Outcome.Granted, acknowledged.Outcome);
        Assert.Equal(ReasonCode.SummonsAcknowledged, acknowledged.Reason);
        var pass = school.Pass(acknowledged);
        Assert.Equal(PassState.Active, pass.State);
        Assert.Equal(Nurse, pass.Destination);
        Assert.True(pass.Exemptions.HasFlag(Exemptions.Summons));
        Assert.Equal(3, school.Building.ActiveAt(Nurse));
        Assert.Equal(PassState.Queued, school.Building.OpenPassOf(Eli)?.State);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Encounter_prevention_still_applies_to_acknowledging_a_summons()
    {
        var group = new EncounterGroupId("ana-dev");
        var school = new TestSchool(c => c with { EncounterGroups = [new EncounterGroup(group, [Ana, Dev])] }).At(9, 10);
        var dev = school.Request(Dev, RestroomA);
        Assert.True(dev.IsGranted);
        school.Summon(CounselorStaff, CollegeCounselor, Ana);

        var blocked = school.Tap(Ana, KioskA101);

        Assert.Equal(Outcome.Refused, blocked.Outcome);
        Assert.Equal(ReasonCode.EncounterBlocked, blocked.Reason);
        Assert.Null(school.Building.OpenPassOf(Ana));
        Assert.Equal(SummonsState.Pending, school.Building.PendingSummonsOf(Ana)?.State);
        Assert.Empty(school.EventsOf<SummonsClosed>());
        var attempt = Assert.Single(school.EventsOf<EncounterAttemptBlocked>());
        Assert.Equal(Ana, attempt.Student);
        Assert.Equal(Dev, attempt.OtherStudent);
        Assert.Equal(group, attempt.Group);
        Assert.Equal(PassSource.Summons, attempt.Source);
        Assert.Equal(new[] { "You can't start a", "pass right now.", "Please see your", "teacher." }, blocked.StudentMessage.English);
        Assert.DoesNotContain("Dev", blocked.StaffExplanation, StringComparison.Ordinal);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Once_the_group_member_is_back_the_summons_can_be_acknowledged()
    {
        var school = new TestSchool(c => c with { EncounterGroups = [new EncounterGroup(new EncounterGroupId("ana-dev"), [Ana, Dev])] }).At(9, 10);
        school.Request(Dev, RestroomA);
        school.Summon(CounselorStaff, CollegeCounselor, Ana);
        school.Tap(Ana, KioskA101);
        school.At(9, 14);
        school.Tap(Dev, KioskA102);

        var acknowledged = school.Tap(Ana, KioskA101);

        Assert.Equal(ReasonCode.SummonsAcknowledged, acknowledged.Reason);
        Assert.Equal(SummonsState.Acknowledged, Assert.Single(school.Building.Summons).State);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_grade_summons_reaches_every_enrolled_student_of_that_grade()
    {
        var school = new TestSchool(c => c
            .ChangeStudent(Gus, s => s with { Grade = 11 })
            .ChangeStudent(Eli, s => s with { Enrolled = false })).At(9, 10);

        var summoned = school.Handle(new Summon([], new SummonsTarget(DestinationKind.Office), SummonsPriority.Urgent, school.Now, Principal) { Grade = 10 });

        Assert.Equal(Outcome.Accepted, summoned.Outcome);
        var events = school.EventsOf<StudentSummoned>().ToList();
        Assert.Equal(
            new[] { Ana, Ben, Carla, Dev, Fay, Mia, Noor, Sofia }.OrderBy(s => s.Value, StringComparer.Ordinal),
            events.Select(e => e.Student).OrderBy(s => s.Value, StringComparer.Ordinal));
        Assert.All(events, e => Assert.Equal(Office, e.Destination));
        Assert.All(events, e => Assert.Equal(SummonsPriority.Urgent, e.Priority));
        Assert.All(events, e => Assert.Equal(school.HomeroomOf(e.Student), e.DeliverTo));
        Assert.Equal(8, events.Select(e => e.Summons).Distinct().Count());
        Assert.Null(school.Building.PendingSummonsOf(Gus));
        Assert.Null(school.Building.PendingSummonsOf(Eli));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Cancelling_a_summons_means_the_next_tap_does_not_acknowledge_it()
    {
        var school = new TestSchool().At(9, 10);
        school.Summon(CounselorStaff, CollegeCounselor, Ana);
        var summons = school.Building.PendingSummonsOf(Ana)!;

        var cancelled = school.Handle(new CancelSummons(summons.Id, school.Now, CounselorStaff));
        school.At(9, 12);
        var tap = school.Tap(Ana, KioskA101);

        Assert.Equal(Outcome.Accepted, cancelled.Outcome);
        var closed = Assert.Single(school.EventsOf<SummonsClosed>());
        Assert.Equal(SummonsState.Cancelled, closed.State);
        Assert.Null(closed.Pass);
        Assert.Equal(SummonsState.Cancelled, summons.State);
        Assert.Null(school.Building.PendingSummonsOf(Ana));
        Assert.Equal(Outcome.Identified, tap.Outcome);
        Assert.Null(school.Building.OpenPassOf(Ana));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Only_staff_with_the_summon_permission_can_cancel_a_summons_and_only_once()
    {
        var school = new TestSchool().At(9, 10);
        school.Summon(CounselorStaff, CollegeCounselor, Ana);
        var summons = school.Building.PendingSummonsOf(Ana)!;

        var byTeacher = school.Handle(new CancelSummons(summons.Id, school.Now, TeacherA101));
        Assert.Equal(SummonsState.Pending, summons.State);
        var first = school.Handle(new CancelSummons(summons.Id, school.Now, Principal));
        var second = school.Handle(new CancelSummons(summons.Id, school.Now, Principal));

        Assert.Equal(ReasonCode.NotPermitted, byTeacher.Reason);
        Assert.Equal(Outcome.Accepted, first.Outcome);
        Assert.Equal(Outcome.Refused, second.Outcome);
        Assert.Single(school.EventsOf<SummonsClosed>());
    }

    [Fact]
    public void A_summons_not_acknowledged_stays_pending_for_the_rest_of_the_day()
    {
        var school = new TestSchool().At(9, 10);
        school.Summon(CounselorStaff, CollegeCounselor, Ana);

        school.At(15, 0);
        school.Handle(new Advance(school.Now));
        school.At(23, 59);
        school.Handle(new Advance(school.Now));

        Assert.Equal(SummonsState.Pending, school.Building.PendingSummonsOf(Ana)?.State);
        Assert.Empty(school.EventsOf<SummonsClosed>());
    }

    [Fact]
    public void A_summons_not_acknowledged_lapses_at_the_next_days_advance()
    {
        var school = new TestSchool().At(9, 10);
        school.Summon(CounselorStaff, CollegeCounselor, Ana);
        var summons = school.Building.PendingSummonsOf(Ana)!;

        school.On(Tuesday.AddDays(1), 7, 0);
        school.Handle(new Advance(school.Now));

        var closed = Assert.Single(school.EventsOf<SummonsClosed>());
        Assert.Equal(summons.Id, closed.Summons);
        Assert.Equal(SummonsState.Expired, closed.State);
        Assert.Equal(Actor.System, closed.Actor);
        Assert.Null(school.Building.PendingSummonsOf(Ana));
        Assert.Equal(SummonsState.Expired, Assert.Single(school.Building.Summons).State);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_lapsed_summons_is_not_acknowledged_by_the_next_days_tap()
    {
        var school = new TestSchool().At(9, 10);
        school.Summon(CounselorStaff, CollegeCounselor, Ana);
        school.On(Tuesday.AddDays(1), 7, 0);
        school.Handle(new Advance(school.Now));
        school.At(9, 10);

        var tap = school.Tap(Ana, KioskA101);

        Assert.Equal(Outcome.Identified, tap.Outcome);
        Assert.Null(school.Building.OpenPassOf(Ana));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_teacher_without_the_summon_permission_cannot_summon()
    {
        var school = new TestSchool().At(9, 10);

        var refused = school.Summon(TeacherA101, CollegeCounselor, Ana);

        Assert.Equal(Outcome.Refused, refused.Outcome);
        Assert.Equal(ReasonCode.NotPermitted, refused.Reason);
        Assert.Empty(school.EventsOf<StudentSummoned>());
        Assert.Empty(school.Building.Summons);
        Assert.Null(school.Building.PendingSummonsOf(Ana));
    }

    [Fact]
    public void A_student_cannot_summon_and_an_administrator_can()
    {
        var school = new TestSchool().At(9, 10);

        var byStudent = school.Summon(Actor.OfStudent(Ben), CollegeCounselor, Ana);
        var byPrincipal = school.Summon(Principal, CollegeCounselor, Ana);

        Assert.Equal(ReasonCode.NotPermitted, byStudent.Reason);
        Assert.Equal(Outcome.Accepted, byPrincipal.Outcome);
        Assert.Equal(Principal, Assert.Single(school.EventsOf<StudentSummoned>()).Actor);
    }

    [Fact]
    public void An_urgent_summons_is_acknowledged_before_a_routine_one()
    {
        var school = new TestSchool().At(9, 10);
        school.Summon(CounselorStaff, new SummonsTarget(DestinationKind.Office, Destination: Office), Ana);
        school.Handle(new Summon([Ana], new SummonsTarget(DestinationKind.Nurse, Destination: Nurse), SummonsPriority.Urgent, school.Now, Principal));

        var acknowledged = school.Tap(Ana, KioskA101);

        Assert.Equal(ReasonCode.SummonsAcknowledged, acknowledged.Reason);
        Assert.Equal(Nurse, school.Pass(acknowledged).Destination);
        var routine = Assert.Single(school.Building.Summons, s => s.State == SummonsState.Pending);
        Assert.Equal(Office, routine.Destination);
        Assert.Equal(SummonsPriority.Routine, routine.Priority);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_student_summoned_while_out_first_returns_then_acknowledges_with_the_next_tap()
    {
        var school = new TestSchool().At(9, 10);
        var restroom = school.Request(Ana, RestroomA);
        school.Summon(CounselorStaff, CollegeCounselor, Ana);
        school.At(9, 14);

        var back = school.Tap(Ana, KioskA101);
        var acknowledged = school.Tap(Ana, KioskA101);

        Assert.Equal(Outcome.Returned, back.Outcome);
        Assert.Equal(PassState.Completed, school.Pass(restroom).State);
        Assert.Equal(ReasonCode.SummonsAcknowledged, acknowledged.Reason);
        Assert.Equal(Counselor, school.Pass(acknowledged).Destination);
        Assert.Equal(PassState.Active, school.Pass(acknowledged).State);
        school.AssertRebuildsIdentically();
    }
}
