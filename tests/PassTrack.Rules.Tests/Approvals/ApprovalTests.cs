using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Approvals;

/// <summary>
/// Rule 12: destinations that need approval create a PendingApproval pass routed to the right staff (the counselor
/// approves passes to the counselor); approving checks capacity again; it times out if nobody answers.
/// </summary>
public class ApprovalTests
{
    [Fact]
    public void A_request_for_the_counselor_waits_for_the_counselors_approval()
    {
        var school = new TestSchool();

        var asked = school.Request(Ana, Counselor);

        Assert.Equal(Outcome.PendingApproval, asked.Outcome);
        Assert.Equal(ReasonCode.ApprovalRequired, asked.Reason);
        var pass = school.Pass(asked);
        Assert.Equal(PassState.PendingApproval, pass.State);
        Assert.Equal(ApprovalRequirement.DestinationStaff, pass.ApprovalRoute);
        Assert.Equal(school.Now + TimeSpan.FromMinutes(5), pass.ApprovalBy);
        Assert.Equal(school.Now + TimeSpan.FromMinutes(5), asked.Until);
        Assert.Null(pass.StartedAt);
        Assert.Equal(0, school.Building.OutFrom(A101));
        Assert.Equal(0, school.Building.ActiveAt(Counselor));
        Assert.Contains(school.Building.AwaitingApprovalBy(CounselorStaff), p => p.Id == pass.Id);
        Assert.DoesNotContain(school.Building.AwaitingApprovalBy(TeacherA101), p => p.Id == pass.Id);
        Assert.Equal(new[] { "Counselor", "Waiting for", "approval..." }, asked.StudentMessage.English);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void The_origin_teacher_cannot_approve_a_pass_routed_to_the_counselor()
    {
        var school = new TestSchool();
        var asked = school.Request(Ana, Counselor);

        var byTeacher = school.Approve(asked.Pass!.Value, TeacherA101);
        var denyByTeacher = school.Deny(asked.Pass.Value, TeacherA101);

        Assert.Equal(Outcome.Refused, byTeacher.Outcome);
        Assert.Equal(ReasonCode.NotPermitted, byTeacher.Reason);
        Assert.Equal(ReasonCode.NotPermitted, denyByTeacher.Reason);
        Assert.Equal(PassState.PendingApproval, school.Pass(asked).State);
        Assert.DoesNotContain(school.EventsOf<PassTransitioned>(), e => e.Pass == asked.Pass && e.From == PassState.PendingApproval);
    }

    [Fact]
    public void The_counselor_approves_and_the_pass_starts_with_the_counselors_time_limit()
    {
        var school = new TestSchool();
        var asked = school.Request(Ana, Counselor);
        school.Clock.Advance(TimeSpan.FromMinutes(2));

        var approved = school.Approve(asked.Pass!.Value, CounselorStaff);

        Assert.Equal(Outcome.Granted, approved.Outcome);
        Assert.Equal(TimeSpan.FromMinutes(20), approved.TimeLimit);
        var pass = school.Pass(asked);
        Assert.Equal(PassState.Active, pass.State);
        Assert.Equal(school.Now, pass.StartedAt);
        Assert.Null(pass.ApprovalBy);
        var transition = school.EventsOf<PassTransitioned>().Last(e => e.Pass == pass.Id);
        Assert.Equal(TransitionCause.Approved, transition.Cause);
        Assert.Equal(CounselorStaff, transition.Actor);
        Assert.Equal(1, school.Building.OutFrom(A101));
        Assert.Equal(1, school.Building.ActiveAt(Counselor));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void The_principal_may_approve_any_pending_pass()
    {
        var school = new TestSchool();
        var asked = school.Request(Ana, Counselor);

        var approved = school.Approve(asked.Pass!.Value, Principal);

        Assert.Equal(Outcome.Granted, approved.Outcome);
        Assert.Equal(PassState.Active, school.Pass(asked).State);
    }

    [Fact]
    public void The_counselor_creating_a_counselor_pass_needs_no_further_approval()
    {
        var school = new TestSchool();

        var created = school.StaffRequest(CounselorStaff, Ana, Counselor);

        Assert.Equal(Outcome.Granted, created.Outcome);
        Assert.Equal(PassState.Active, school.Pass(created).State);
    }

    [Fact]
    public void An_approval_checks_capacity_again_and_queues_the_pass_when_the_destination_is_full()
    {
        var school = new TestSchool();
        var asked = school.Request(Ana, Counselor);
        Assert.Equal(Outcome.Granted, school.StaffRequest(CounselorStaff, Dev, Counselor).Outcome);
        Assert.Equal(Outcome.Granted, school.StaffRequest(CounselorStaff, Fay, Counselor).Outcome);
        Assert.Equal(2, school.Building.ActiveAt(Counselor));

        var approved = school.Approve(asked.Pass!.Value, CounselorStaff);

        Assert.Equal(Outcome.Queued, approved.Outcome);
        Assert.Equal(ReasonCode.DestinationFull, approved.Reason);
        Assert.Equal(1, approved.QueuePosition);
        var pass = school.Pass(asked);
        Assert.Equal(PassState.Queued, pass.State);
        Assert.Null(pass.StartedAt);
        Assert.Equal(2, school.Building.ActiveAt(Counselor));
        Assert.Equal(new[] { pass.Id }, school.Building.QueueOf(Counselor));

        // Dev comes back: the place is offered to Ana, who claims it.
        school.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(Outcome.Returned, school.Tap(Dev, KioskA102).Outcome);
        Assert.Equal(school.Now + TimeSpan.FromSeconds(60), school.Pass(asked).ClaimBy);
        var claim = school.Tap(Ana, KioskA101);
        Assert.Equal(Outcome.Granted, claim.Outcome);
        Assert.Equal(PassState.Active, school.Pass(asked).State);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_pass_nobody_answers_expires_after_the_approval_timeout()
    {
        var school = new TestSchool();
        var asked = school.Request(Ana, Counselor);

        school.Wait(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.Equal(PassState.PendingApproval, school.Pass(asked).State);
        school.Wait(TimeSpan.FromSeconds(1));

        var pass = school.Pass(asked);
        Assert.Equal(PassState.Expired, pass.State);
        Assert.Equal(TransitionCause.ApprovalTimedOut, pass.EndCause);
        Assert.Equal(Actor.System, pass.EndedBy);
        Assert.Equal(school.Now, pass.EndedAt);
        var transition = school.EventsOf<PassTransitioned>().Last(e => e.Pass == pass.Id);
        Assert.Equal(ReasonCode.ApprovalTimedOut, transition.Reason);
        Assert.Null(school.Building.OpenPassOf(Ana));
        // Too late to approve now.
        var late = school.Approve(pass.Id, CounselorStaff);
        Assert.Equal(Outcome.Refused, late.Outcome);
        Assert.Equal(PassState.Expired, school.Pass(asked).State);
        Assert.Equal(0, school.Building.ActiveAt(Counselor));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_policy_approval_timeout_replaces_the_default()
    {
        var school = new TestSchool();
        var changed = school.Configure((at, by) => new ChangePolicy(school.Building.Policy with { ApprovalTimeout = TimeSpan.FromMinutes(2) }, at, by));
        Assert.Equal(Outcome.Accepted, changed.Outcome);
        var asked = school.Request(Ana, Counselor);

        school.Wait(TimeSpan.FromMinutes(2));

        Assert.Equal(PassState.Expired, school.Pass(asked).State);
        Assert.Equal(TransitionCause.ApprovalTimedOut, school.Pass(asked).EndCause);
    }

    [Fact]
    public void A_denied_pass_ends_denied_and_the_student_may_ask_again()
    {
        var school = new TestSchool();
        var asked = school.Request(Ana, Counselor);

        var denied = school.Deny(asked.Pass!.Value, CounselorStaff);

        Assert.Equal(Outcome.Refused, denied.Outcome);
        Assert.Equal(ReasonCode.Denied, denied.Reason);
        var pass = school.Pass(asked);
        Assert.Equal(PassState.Denied, pass.State);
        Assert.Equal(TransitionCause.Denied, pass.EndCause);
        Assert.Equal(CounselorStaff, pass.EndedBy);
        Assert.Null(pass.StartedAt);
        Assert.Null(school.Building.OpenPassOf(Ana));
        Assert.Equal(new[] { "Pass not approved.", "Please see your", "teacher." }, denied.StudentMessage.English);
        Assert.Equal(Outcome.PendingApproval, school.Request(Ana, Counselor).Outcome);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_student_with_a_pass_waiting_for_approval_cannot_ask_for_another()
    {
        var school = new TestSchool();
        var asked = school.Request(Ana, Counselor);

        var second = school.Request(Ana, RestroomA);

        Assert.Equal(Outcome.Refused, second.Outcome);
        Assert.Equal(ReasonCode.PassAlreadyWaiting, second.Reason);
        Assert.Equal(asked.Pass, school.Building.OpenPassOf(Ana)?.Id);
    }
}
