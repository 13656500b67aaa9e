using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Identity;

/// <summary>Rule 2: one open pass per student. Asking again while out ends the pass instead; waiting shows where the pass stands.</summary>
public class OnePassPerStudentTests
{
    [Fact]
    public void A_teacher_cannot_send_out_a_student_who_is_already_out()
    {
        var school = new TestSchool().At(9, 10);
        var first = school.Request(Ana, RestroomA);

        var decision = school.StaffRequest(TeacherA101, Ana, Nurse);

        Assert.Equal(Outcome.Refused, decision.Outcome);
        Assert.Equal(ReasonCode.AlreadyOut, decision.Reason);
        Assert.Equal(new[] { "You are already out.", "Tap at your room", "to return." }, decision.StudentMessage.English);
        Assert.Equal("Refused: Ana García is already out on a pass.", decision.StaffExplanation);
        Assert.Single(school.EventsOf<PassCreated>());
        Assert.Equal(first.Pass, school.Building.OpenPassOf(Ana)!.Id);
        Assert.Equal(PassState.Active, school.Pass(first).State);
        Assert.Equal(0, school.Building.ActiveAt(Nurse));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Being_already_out_is_checked_before_the_period_buffers()
    {
        var school = new TestSchool().At(9, 10);
        school.Request(Ana, RestroomA);

        school.At(9, 40);
        var decision = school.StaffRequest(TeacherA101, Ana, Nurse);

        Assert.Equal(ReasonCode.AlreadyOut, decision.Reason);
    }

    [Fact]
    public void A_kiosk_request_while_out_returns_the_student_instead_of_starting_a_second_pass()
    {
        var school = new TestSchool().At(9, 10);
        var first = school.Request(Ana, RestroomA);

        school.Clock.Advance(TimeSpan.FromMinutes(3));
        var decision = school.Request(Ana, Water);

        Assert.Equal(Outcome.Returned, decision.Outcome);
        Assert.Equal(ReasonCode.PassReturned, decision.Reason);
        Assert.Equal(first.Pass, decision.Pass);
        Assert.Equal(TimeSpan.FromMinutes(3), decision.Wait);
        var pass = school.Pass(first);
        Assert.Equal(PassState.Completed, pass.State);
        Assert.Equal(TransitionCause.Returned, pass.EndCause);
        Assert.Equal(TimeSpan.FromMinutes(3), pass.Duration);
        Assert.Single(school.EventsOf<PassCreated>());
        Assert.Null(school.Building.OpenPassOf(Ana));
        Assert.Equal(0, school.Building.ActiveAt(Water));
        Assert.Equal(0, school.Building.ActiveAt(RestroomA));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_tap_at_a_kiosk_away_from_the_origin_ends_the_pass_there()
    {
        var school = new TestSchool().At(9, 10);
        var first = school.Request(Ana, RestroomA);

        school.Clock.Advance(TimeSpan.FromMinutes(2));
        var decision = school.Tap(Ana, KioskB201);

        Assert.Equal(Outcome.Returned, decision.Outcome);
        Assert.Equal(ReasonCode.CheckedInElsewhere, decision.Reason);
        var pass = school.Pass(first);
        Assert.Equal(PassState.Terminated, pass.State);
        Assert.Equal(TransitionCause.CheckedInElsewhere, pass.EndCause);
        Assert.Null(school.Building.OpenPassOf(Ana));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_second_request_while_waiting_in_line_is_refused_and_the_place_in_line_kept()
    {
        var school = new TestSchool().At(9, 10);
        school.Request(Ana, RestroomA);
        var queued = school.Request(Ben, RestroomA);
        Assert.Equal(Outcome.Queued, queued.Outcome);

        var decision = school.Request(Ben, Water);

        Assert.Equal(Outcome.Refused, decision.Outcome);
        Assert.Equal(ReasonCode.PassAlreadyWaiting, decision.Reason);
        Assert.Equal(PassState.Queued, school.Pass(queued).State);
        Assert.Equal(new[] { queued.Pass!.Value }, school.Building.QueueOf(RestroomA));
        Assert.Equal(0, school.Building.ActiveAt(Water));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_teacher_cannot_start_a_second_pass_for_a_student_waiting_for_approval()
    {
        var school = new TestSchool().At(9, 10);
        var pending = school.Request(Ana, Counselor);
        Assert.Equal(Outcome.PendingApproval, pending.Outcome);

        var decision = school.StaffRequest(TeacherA101, Ana, RestroomA);

        Assert.Equal(ReasonCode.PassAlreadyWaiting, decision.Reason);
        Assert.Equal(PassState.PendingApproval, school.Pass(pending).State);
        Assert.Single(school.EventsOf<PassCreated>());
    }

    [Fact]
    public void A_tap_while_waiting_in_line_shows_the_place_in_line()
    {
        var school = new TestSchool().At(9, 10);
        school.Request(Ana, RestroomA);
        var ben = school.Request(Ben, RestroomA);
        var dev = school.Request(Dev, RestroomA);
        var eventsBefore = school.Events.Count;

        var devTap = school.Tap(Dev, KioskA102);
        var benTap = school.Tap(Ben, KioskA101);

        Assert.Equal(Outcome.Status, devTap.Outcome);
        Assert.Equal(ReasonCode.WaitingInQueue, devTap.Reason);
        Assert.Equal(2, devTap.QueuePosition);
        Assert.Equal(dev.Pass, devTap.Pass);
        Assert.Equal(new[] { "Restroom A:", "you are #2", "in line. Wait for", "your turn." }, devTap.StudentMessage.English);
        Assert.Equal(ReasonCode.WaitingInQueue, benTap.Reason);
        Assert.Equal(1, benTap.QueuePosition);
        Assert.Equal(ben.Pass, benTap.Pass);
        Assert.Equal(eventsBefore, school.Events.Count);
        Assert.Equal(PassState.Queued, school.Pass(ben).State);
        Assert.Equal(PassState.Queued, school.Pass(dev).State);
    }

    [Fact]
    public void A_tap_while_waiting_for_approval_says_so()
    {
        var school = new TestSchool().At(9, 10);
        var pending = school.Request(Ana, Counselor);
        var eventsBefore = school.Events.Count;

        var decision = school.Tap(Ana, KioskA101);

        Assert.Equal(Outcome.Status, decision.Outcome);
        Assert.Equal(ReasonCode.WaitingForApproval, decision.Reason);
        Assert.Equal(pending.Pass, decision.Pass);
        Assert.Equal(Counselor, decision.Destination);
        Assert.Equal(new[] { "Counselor", "Waiting for", "approval..." }, decision.StudentMessage.English);
        Assert.Equal(eventsBefore, school.Events.Count);
        Assert.Equal(PassState.PendingApproval, school.Pass(pending).State);
    }
}
