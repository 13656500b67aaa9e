using PassTrack.Rules.Encounters;
using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Encounters;

/// <summary>
/// Rule 10: if another member of one of the student's active groups is out, the pass does not start. The student
/// sees only a generic message, the teacher only that a building rule blocked it; counselors and administrators
/// see the group and every blocked attempt in a log.
/// </summary>
public class EncounterPreventionTests
{
    private static readonly EncounterGroupId Group = new("grp-hallway-7");

    private static readonly string[] GenericEnglish = ["You can't start a", "pass right now.", "Please see your", "teacher."];

    [Fact]
    public void While_one_member_of_a_group_of_three_is_out_neither_of_the_other_two_can_start_a_pass()
    {
        var school = WithGroup(Ana, Dev, Fay);
        var ana = school.Request(Ana, RestroomA);
        Assert.Equal(Outcome.Granted, ana.Outcome);

        var dev = school.Request(Dev, Water);
        var fay = school.Request(Fay, RestroomB);

        Assert.Equal(Outcome.Refused, dev.Outcome);
        Assert.Equal(ReasonCode.EncounterBlocked, dev.Reason);
        Assert.Equal(Outcome.Refused, fay.Outcome);
        Assert.Equal(ReasonCode.EncounterBlocked, fay.Reason);
        Assert.Null(school.Building.OpenPassOf(Dev));
        Assert.Null(school.Building.OpenPassOf(Fay));
        Assert.Single(school.Building.ActivePasses);
        // Someone outside the group is not affected.
        Assert.Equal(Outcome.Granted, school.Request(Eli, Water).Outcome);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Once_the_member_who_was_out_returns_another_may_go_and_then_blocks_the_rest()
    {
        var school = WithGroup(Ana, Dev, Fay);
        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);
        Assert.Equal(ReasonCode.EncounterBlocked, school.Request(Dev, Water).Reason);

        school.Clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(Outcome.Returned, school.Tap(Ana, KioskA101).Outcome);
        var dev = school.Request(Dev, Water);

        Assert.Equal(Outcome.Granted, dev.Outcome);
        Assert.Equal(ReasonCode.EncounterBlocked, school.Request(Fay, RestroomB).Reason);
        Assert.Equal(ReasonCode.EncounterBlocked, school.Request(Ana, RestroomA).Reason);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void The_blocked_student_sees_exactly_the_generic_message()
    {
        var school = WithGroup(Ana, Dev, Fay);
        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);

        var dev = school.Request(Dev, Water);

        Assert.Equal(GenericEnglish, dev.StudentMessage.English);
        Assert.Equal(GenericEnglish, dev.StudentMessage.In(Language.English));
        // The same words whatever the destination: nothing hints at the reason.
        Assert.Equal(GenericEnglish, school.Request(Fay, Library).StudentMessage.English);
    }

    [Fact]
    public void A_Spanish_speaking_student_sees_the_generic_message_in_Spanish()
    {
        var school = WithGroup(Ana, Dev, Sofia);
        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);

        var sofia = school.Request(Sofia, RestroomB);

        Assert.Equal(ReasonCode.EncounterBlocked, sofia.Reason);
        Assert.Equal(Language.Spanish, sofia.Language);
        Assert.Equal(new[] { "No puedes salir", "ahora mismo. Por", "favor habla con tu", "maestro." }, sofia.StudentMessage.Spanish);
        Assert.Equal(sofia.StudentMessage.Spanish, sofia.StudentMessage.In(sofia.Language));
        Assert.Equal(GenericEnglish, sofia.StudentMessage.English);
    }

    [Fact]
    public void The_staff_explanation_says_only_that_a_building_rule_blocked_the_request()
    {
        var school = WithGroup(Ana, Dev, Fay);
        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);

        var atKiosk = school.Request(Dev, Water);
        var byTeacher = school.StaffRequest(TeacherA102, Dev, Water);

        foreach (var decision in new[] { atKiosk, byTeacher })
        {
            Assert.Equal(ReasonCode.EncounterBlocked, decision.Reason);
            var explanation = decision.StaffExplanation;
            Assert.Contains("blocked by a building rule", explanation, StringComparison.Ordinal);
            Assert.DoesNotContain("Ana", explanation, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("García", explanation, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Group.Value, explanation, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("group", explanation, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("encounter", explanation, StringComparison.OrdinalIgnoreCase);
            Assert.Null(decision.Pass);
        }
    }

    [Fact]
    public void Every_blocked_attempt_is_logged_with_the_group_the_other_student_and_their_pass()
    {
        var school = WithGroup(Ana, Dev, Fay);
        var ana = school.Request(Ana, RestroomA);

        school.Request(Dev, Water);
        school.Request(Fay, RestroomB);
        school.Clock.Advance(TimeSpan.FromSeconds(30));
        school.Request(Dev, Library);

        var log = school.EventsOf<EncounterAttemptBlocked>().ToList();
        Assert.Equal(3, log.Count);
        Assert.All(log, e =>
        {
            Assert.Equal(Group, e.Group);
            Assert.Equal(Ana, e.OtherStudent);
            Assert.Equal(ana.Pass, e.OtherPass);
            Assert.Equal(PassSource.Kiosk, e.Source);
        });
        Assert.Equal(new[] { Dev, Fay, Dev }, log.Select(e => e.Student));
        Assert.Equal(new[] { Water, RestroomB, Library }, log.Select(e => e.Destination));
        Assert.Equal(new[] { A102, B201, A102 }, log.Select(e => e.Origin));
        // The refusal itself is recorded too, with the reason code only.
        Assert.Equal(3, school.EventsOf<RequestRefused>().Count(e => e.Reason == ReasonCode.EncounterBlocked));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_paused_group_does_not_block()
    {
        var school = WithGroup(Ana, Dev, Fay);
        var paused = school.Configure((at, by) => new SaveEncounterGroup(new EncounterGroup(Group, [Ana, Dev, Fay], Paused: true), at, by));
        Assert.Equal(Outcome.Accepted, paused.Outcome);
        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);

        var dev = school.Request(Dev, Water);
        var fay = school.Request(Fay, RestroomB);

        Assert.Equal(Outcome.Granted, dev.Outcome);
        Assert.Equal(Outcome.Granted, fay.Outcome);
        Assert.Empty(school.EventsOf<EncounterAttemptBlocked>());
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_removed_group_no_longer_blocks()
    {
        var school = WithGroup(Ana, Dev, Fay);
        Assert.Equal(Outcome.Accepted, school.Configure((at, by) => new RemoveEncounterGroup(Group, at, by)).Outcome);
        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);

        Assert.Equal(Outcome.Granted, school.Request(Dev, Water).Outcome);
    }

    [Fact]
    public void A_student_in_two_groups_is_blocked_by_a_member_of_either()
    {
        var school = WithGroup(Ana, Dev, Fay);
        var second = school.Configure((at, by) => new SaveEncounterGroup(new EncounterGroup(new EncounterGroupId("grp-2"), [Gus, Dev]), at, by));
        Assert.Equal(Outcome.Accepted, second.Outcome);
        Assert.Equal(Outcome.Granted, school.Request(Gus, RestroomB).Outcome);

        var dev = school.Request(Dev, Water);

        Assert.Equal(ReasonCode.EncounterBlocked, dev.Reason);
        var logged = Assert.Single(school.EventsOf<EncounterAttemptBlocked>());
        Assert.Equal(new EncounterGroupId("grp-2"), logged.Group);
        Assert.Equal(Gus, logged.OtherStudent);
        // Ana shares only the first group with Dev, and Gus is not in it.
        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);
    }

    [Fact]
    public void An_approval_for_a_group_member_is_blocked_while_another_member_is_out()
    {
        var school = WithGroup(Ana, Dev, Fay);
        var asked = school.Request(Ana, Counselor);
        Assert.Equal(Outcome.PendingApproval, asked.Outcome);
        var dev = school.Request(Dev, Water);
        Assert.Equal(Outcome.Granted, dev.Outcome);

        var approval = school.Approve(asked.Pass!.Value, CounselorStaff);

        Assert.Equal(Outcome.Refused, approval.Outcome);
        Assert.Equal(ReasonCode.EncounterBlocked, approval.Reason);
        Assert.Contains("blocked by a building rule", approval.StaffExplanation, StringComparison.Ordinal);
        Assert.DoesNotContain("Dev", approval.StaffExplanation, StringComparison.Ordinal);
        Assert.Equal(PassState.PendingApproval, school.Pass(asked).State);
        var logged = Assert.Single(school.EventsOf<EncounterAttemptBlocked>());
        Assert.Equal(Ana, logged.Student);
        Assert.Equal(asked.Pass, logged.Pass);
        Assert.Equal(Group, logged.Group);
        Assert.Equal(Dev, logged.OtherStudent);
        Assert.Equal(dev.Pass, logged.OtherPass);

        // Once Dev is back, the same approval goes through.
        school.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(Outcome.Returned, school.Tap(Dev, KioskA102).Outcome);
        var again = school.Approve(asked.Pass.Value, CounselorStaff);
        Assert.Equal(Outcome.Granted, again.Outcome);
        Assert.Equal(PassState.Active, school.Pass(asked).State);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_queue_claim_for_a_group_member_is_blocked_while_another_member_is_out()
    {
        var school = WithGroup(Ana, Dev, Fay);
        Assert.Equal(Outcome.Granted, school.Request(Ben, RestroomA).Outcome);
        var queued = school.Request(Ana, RestroomA);
        Assert.Equal(Outcome.Queued, queued.Outcome);
        var dev = school.Request(Dev, Water);
        Assert.Equal(Outcome.Granted, dev.Outcome);
        school.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(Outcome.Returned, school.Tap(Ben, KioskA101).Outcome);
        Assert.NotNull(school.Pass(queued).ClaimBy);

        var claim = school.Tap(Ana, KioskA101);

        Assert.Equal(Outcome.Refused, claim.Outcome);
        Assert.Equal(ReasonCode.EncounterBlocked, claim.Reason);
        Assert.Equal(GenericEnglish, claim.StudentMessage.English);
        var pass = school.Pass(queued);
        Assert.Equal(PassState.Queued, pass.State);
        var logged = Assert.Single(school.EventsOf<EncounterAttemptBlocked>());
        Assert.Equal(Ana, logged.Student);
        Assert.Equal(queued.Pass, logged.Pass);
        Assert.Equal(Dev, logged.OtherStudent);
        Assert.Equal(dev.Pass, logged.OtherPass);

        // Dev comes back inside the claim window: now the claim goes through.
        school.Clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(Outcome.Returned, school.Tap(Dev, KioskA102).Outcome);
        var retry = school.Tap(Ana, KioskA101);
        Assert.Equal(Outcome.Granted, retry.Outcome);
        Assert.Equal(ReasonCode.QueueClaimed, retry.Reason);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Each_blocked_claim_attempt_is_in_the_log_not_only_the_first()
    {
        var school = WithGroup(Ana, Dev, Fay);
        Assert.Equal(Outcome.Granted, school.Request(Ben, RestroomA).Outcome);
        var queued = school.Request(Ana, RestroomA);
        Assert.Equal(Outcome.Granted, school.Request(Dev, Water).Outcome);
        school.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(Outcome.Returned, school.Tap(Ben, KioskA101).Outcome);

        Assert.Equal(ReasonCode.EncounterBlocked, school.Tap(Ana, KioskA101).Reason);
        school.Clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(ReasonCode.EncounterBlocked, school.Tap(Ana, KioskA101).Reason);

        Assert.Equal(2, school.EventsOf<EncounterAttemptBlocked>().Count(e => e.Pass == queued.Pass));
    }

    private static TestSchool WithGroup(params StudentId[] members)
    {
        var school = new TestSchool();
        var saved = school.Configure((at, by) => new SaveEncounterGroup(new EncounterGroup(Group, members), at, by));
        Assert.Equal(Outcome.Accepted, saved.Outcome);
        return school;
    }
}
