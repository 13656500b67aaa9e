using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Limits;

/// <summary>
/// Rule 6: daily limits per student (3 a day in the test school), counted over passes that were actually taken.
/// At the limit the pass needs the origin teacher's approval rather than a flat no; accommodations may exempt.
/// </summary>
public class DailyLimitTests
{
    [Fact]
    public void After_three_passes_the_fourth_request_waits_for_the_origin_teachers_approval_instead_of_being_refused()
    {
        var school = new TestSchool();
        TakePasses(school, Ana, KioskA101, (9, 10), (9, 15), (9, 20));
        school.At(9, 25);

        var fourth = school.Request(Ana, RestroomA);

        Assert.Equal(Outcome.PendingApproval, fourth.Outcome);
        Assert.Equal(ReasonCode.DailyLimitReached, fourth.Reason);
        var pass = school.Pass(fourth);
        Assert.Equal(PassState.PendingApproval, pass.State);
        Assert.Equal(ApprovalRequirement.OriginTeacher, pass.ApprovalRoute);
        Assert.Equal(ReasonCode.DailyLimitReached, pass.ApprovalReason);
        Assert.Equal(school.Now + school.Building.Policy.ApprovalTimeout, fourth.Until);
        Assert.Equal(3, school.Building.PassesToday(Ana, school.Now));
        Assert.Equal(0, school.Building.OutFrom(A101));
        Assert.Equal(new[] { "Pass limit reached.", "Asking your teacher", "for approval..." }, fourth.StudentMessage.English);
        Assert.Contains("daily pass limit", fourth.StaffExplanation, StringComparison.Ordinal);
        Assert.DoesNotContain(school.EventsOf<RequestRefused>(), e => e.Student == Ana);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_pass_over_the_limit_is_routed_to_the_origin_teacher_who_alone_can_approve_it()
    {
        var school = new TestSchool();
        TakePasses(school, Ana, KioskA101, (9, 10), (9, 15), (9, 20));
        school.At(9, 25);
        var fourth = school.Request(Ana, RestroomA);
        var id = fourth.Pass!.Value;

        Assert.Contains(school.Building.AwaitingApprovalBy(TeacherA101), p => p.Id == id);
        Assert.DoesNotContain(school.Building.AwaitingApprovalBy(TeacherA102), p => p.Id == id);
        Assert.DoesNotContain(school.Building.AwaitingApprovalBy(CounselorStaff), p => p.Id == id);

        var byOtherTeacher = school.Approve(id, TeacherA102);
        Assert.Equal(Outcome.Refused, byOtherTeacher.Outcome);
        Assert.Equal(ReasonCode.NotPermitted, byOtherTeacher.Reason);
        Assert.Equal(PassState.PendingApproval, school.Pass(id).State);

        var byOriginTeacher = school.Approve(id, TeacherA101);
        Assert.Equal(Outcome.Granted, byOriginTeacher.Outcome);
        var pass = school.Pass(id);
        Assert.Equal(PassState.Active, pass.State);
        var approval = school.EventsOf<PassTransitioned>().Last(e => e.Pass == id);
        Assert.Equal(TransitionCause.Approved, approval.Cause);
        Assert.Equal(TeacherA101, approval.Actor);
        Assert.Equal(4, school.Building.PassesToday(Ana, school.Now));
        Assert.Equal(1, school.Building.OutFrom(A101));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Passes_that_never_started_do_not_count_toward_the_limit()
    {
        var school = new TestSchool();
        // The library needs the origin teacher's approval here, and it counts toward limits.
        var library = school.Building.FindDestination(Library)! with { Approval = ApprovalRequirement.OriginTeacher };
        Assert.Equal(Outcome.Accepted, school.Configure((at, by) => new SaveDestination(library, at, by)).Outcome);
        TakePasses(school, Ana, KioskA101, (9, 10), (9, 15));

        // Queued behind Ben, then leaves the line.
        school.At(9, 20);
        Assert.Equal(Outcome.Granted, school.Request(Ben, RestroomA).Outcome);
        var queued = school.Request(Ana, RestroomA);
        Assert.Equal(Outcome.Queued, queued.Outcome);
        Assert.Equal(Outcome.Accepted, school.Handle(new CancelPass(queued.Pass!.Value, school.Now, Actor.OfStudent(Ana))).Outcome);

        // Asks for the library and is denied.
        var asked = school.Request(Ana, Library);
        Assert.Equal(Outcome.PendingApproval, asked.Outcome);
        Assert.Equal(ReasonCode.ApprovalRequired, asked.Reason);
        Assert.Equal(Outcome.Refused, school.Deny(asked.Pass!.Value, TeacherA101).Outcome);
        Assert.Equal(PassState.Denied, school.Pass(asked).State);
        Assert.Equal(Outcome.Returned, school.Tap(Ben, KioskA101).Outcome);

        Assert.Equal(2, school.Building.PassesToday(Ana, school.Now));
        school.At(9, 25);
        var third = school.Request(Ana, RestroomA);
        Assert.Equal(Outcome.Granted, third.Outcome);
        Assert.Equal(ReasonCode.Ok, third.Reason);
        Assert.Equal(3, school.Building.PassesToday(Ana, school.Now));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Passes_to_the_nurse_do_not_count_toward_the_daily_limit()
    {
        var school = new TestSchool();
        TakePasses(school, Ana, KioskA101, Nurse, (9, 10), (9, 15), (9, 20));

        Assert.Equal(0, school.Building.PassesToday(Ana, school.Now));
        TakePasses(school, Ana, KioskA101, (9, 25), (9, 30));
        school.At(9, 34);
        var third = school.Request(Ana, RestroomA);
        Assert.Equal(Outcome.Granted, third.Outcome);
        Assert.Equal(3, school.Building.PassesToday(Ana, school.Now));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_student_at_the_limit_still_gets_a_nurse_pass_without_approval()
    {
        var school = new TestSchool();
        TakePasses(school, Ana, KioskA101, (9, 10), (9, 15), (9, 20));
        school.At(9, 25);

        var nurse = school.Request(Ana, Nurse);

        Assert.Equal(Outcome.Granted, nurse.Outcome);
        Assert.Equal(ReasonCode.Ok, nurse.Reason);
        Assert.Equal(PassState.Active, school.Pass(nurse).State);
        Assert.Equal(3, school.Building.PassesToday(Ana, school.Now));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_lower_daily_limit_in_the_students_profile_replaces_the_buildings()
    {
        var school = new TestSchool();
        SetDailyLimit(school, Ana, 1);
        TakePasses(school, Ana, KioskA101, (9, 10));
        school.At(9, 15);

        var second = school.Request(Ana, RestroomA);

        Assert.Equal(Outcome.PendingApproval, second.Outcome);
        Assert.Equal(ReasonCode.DailyLimitReached, second.Reason);
        // Ben has no override: the building's three still apply to him.
        TakePasses(school, Ben, KioskA101, Water, (9, 16), (9, 20));
        school.At(9, 25);
        Assert.Equal(Outcome.Granted, school.Request(Ben, Water).Outcome);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_higher_daily_limit_in_the_students_profile_allows_more_passes()
    {
        var school = new TestSchool();
        SetDailyLimit(school, Ana, 4);
        TakePasses(school, Ana, KioskA101, (10, 0), (10, 5), (10, 10));
        school.At(10, 15);

        var fourth = school.Request(Ana, RestroomA);
        Assert.Equal(Outcome.Granted, fourth.Outcome);
        Assert.Equal(Outcome.Returned, school.Tap(Ana, KioskA101).Outcome);

        school.At(10, 20);
        var fifth = school.Request(Ana, RestroomA);
        Assert.Equal(Outcome.PendingApproval, fifth.Outcome);
        Assert.Equal(ReasonCode.DailyLimitReached, fifth.Reason);
        Assert.Equal(4, school.Building.PassesToday(Ana, school.Now));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_student_whose_plan_exempts_them_from_daily_limits_is_granted_past_the_limit()
    {
        var school = new TestSchool();
        TakePasses(school, Mia, KioskA102, (9, 10), (9, 15), (9, 20));
        school.At(9, 25);

        var fourth = school.Request(Mia, RestroomA);

        Assert.Equal(Outcome.Granted, fourth.Outcome);
        Assert.Equal(ReasonCode.ExemptByAccommodation, fourth.Reason);
        var pass = school.Pass(fourth);
        Assert.Equal(PassState.Active, pass.State);
        Assert.True(pass.Exemptions.HasFlag(Exemptions.LimitsByAccommodation));
        Assert.Equal(4, school.Building.PassesToday(Mia, school.Now));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_student_under_the_limit_is_not_marked_exempt_by_their_plan()
    {
        var school = new TestSchool();

        var first = school.Request(Mia, RestroomA);

        Assert.Equal(Outcome.Granted, first.Outcome);
        Assert.Equal(ReasonCode.Ok, first.Reason);
        Assert.False(school.Pass(first).Exemptions.HasFlag(Exemptions.LimitsByAccommodation));
    }

    [Fact]
    public void The_origin_teacher_creating_a_pass_at_the_limit_is_granted_directly_because_they_are_the_approver()
    {
        var school = new TestSchool();
        TakePasses(school, Ana, KioskA101, (9, 10), (9, 15), (9, 20));
        school.At(9, 25);

        var created = school.StaffRequest(TeacherA101, Ana, RestroomA, A101);

        Assert.Equal(Outcome.Granted, created.Outcome);
        var pass = school.Pass(created);
        Assert.Equal(PassState.Active, pass.State);
        Assert.Equal(PassSource.Teacher, pass.Source);
        Assert.DoesNotContain(school.EventsOf<PassTransitioned>(), e => e.Pass == pass.Id && e.To == PassState.PendingApproval);
        Assert.Equal(4, school.Building.PassesToday(Ana, school.Now));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Another_teacher_creating_a_pass_at_the_limit_still_needs_the_origin_teachers_approval()
    {
        var school = new TestSchool();
        TakePasses(school, Ana, KioskA101, (9, 10), (9, 15), (9, 20));
        school.At(9, 25);

        var created = school.StaffRequest(TeacherA102, Ana, RestroomA, A101);

        Assert.Equal(Outcome.PendingApproval, created.Outcome);
        Assert.Equal(ReasonCode.DailyLimitReached, created.Reason);
        Assert.Equal(ApprovalRequirement.OriginTeacher, school.Pass(created).ApprovalRoute);
    }

    [Fact]
    public void The_daily_count_starts_again_the_next_school_day()
    {
        var school = new TestSchool();
        TakePasses(school, Ana, KioskA101, (9, 10), (9, 15), (9, 20));

        school.On(Tuesday.AddDays(1), 9, 10);
        var next = school.Request(Ana, RestroomA);

        Assert.Equal(Outcome.Granted, next.Outcome);
        Assert.Equal(1, school.Building.PassesToday(Ana, school.Now));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_pass_over_the_limit_that_nobody_approves_expires_and_is_not_counted()
    {
        var school = new TestSchool();
        TakePasses(school, Ana, KioskA101, (9, 10), (9, 15), (9, 20));
        school.At(9, 25);
        var fourth = school.Request(Ana, RestroomA);

        school.Wait(school.Building.Policy.ApprovalTimeout);

        var pass = school.Pass(fourth);
        Assert.Equal(PassState.Expired, pass.State);
        Assert.Equal(TransitionCause.ApprovalTimedOut, pass.EndCause);
        Assert.Equal(3, school.Building.PassesToday(Ana, school.Now));
        school.AssertRebuildsIdentically();
    }

    private static void SetDailyLimit(TestSchool school, StudentId id, int limit)
    {
        var student = school.Building.FindStudent(id)!;
        var saved = school.Configure((at, by) => new SaveStudent(student with { Profile = student.Profile with { DailyLimit = limit } }, at, by));
        Assert.Equal(Outcome.Accepted, saved.Outcome);
    }

    private static void TakePasses(TestSchool school, StudentId student, KioskId kiosk, params (int Hour, int Minute)[] times) =>
        TakePasses(school, student, kiosk, RestroomA, times);

    /// <summary>The student goes and comes back a minute later, at each of the given times.</summary>
    private static void TakePasses(TestSchool school, StudentId student, KioskId kiosk, DestinationId destination, params (int Hour, int Minute)[] times)
    {
        foreach (var (hour, minute) in times)
        {
            school.At(hour, minute);
            var granted = school.Request(student, destination);
            Assert.Equal(Outcome.Granted, granted.Outcome);
            school.Clock.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal(Outcome.Returned, school.Tap(student, kiosk).Outcome);
        }
    }
}
