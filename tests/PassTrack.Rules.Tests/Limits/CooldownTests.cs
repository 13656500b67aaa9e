using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Limits;

/// <summary>Rule 7: an optional cooldown between two passes of the same student, here 10 minutes.</summary>
public class CooldownTests
{
    [Fact]
    public void A_request_five_minutes_after_the_last_pass_ended_is_refused_with_five_minutes_to_wait()
    {
        var school = WithCooldown(TimeSpan.FromMinutes(10));
        TakeAndReturn(school, 9, 10, 9, 12);

        school.At(9, 17);
        var tooSoon = school.Request(Ana, RestroomA);

        Assert.Equal(Outcome.Refused, tooSoon.Outcome);
        Assert.Equal(ReasonCode.Cooldown, tooSoon.Reason);
        Assert.Equal(TimeSpan.FromMinutes(5), tooSoon.Wait);
        Assert.Null(tooSoon.Pass);
        Assert.Null(school.Building.OpenPassOf(Ana));
        Assert.Equal(new[] { "Too soon since your", "last pass.", "Try again in 5", "min." }, tooSoon.StudentMessage.English);
        Assert.Contains("cooldown ends in 5 min", tooSoon.StaffExplanation, StringComparison.Ordinal);
        var refused = school.EventsOf<RequestRefused>().Single();
        Assert.Equal(Ana, refused.Student);
        Assert.Equal(ReasonCode.Cooldown, refused.Reason);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Ten_minutes_after_the_last_pass_ended_the_student_is_granted()
    {
        var school = WithCooldown(TimeSpan.FromMinutes(10));
        TakeAndReturn(school, 9, 10, 9, 12);

        school.At(9, 21, 59);
        Assert.Equal(ReasonCode.Cooldown, school.Request(Ana, RestroomA).Reason);
        school.At(9, 22);
        var granted = school.Request(Ana, RestroomA);

        Assert.Equal(Outcome.Granted, granted.Outcome);
        Assert.Equal(PassState.Active, school.Pass(granted).State);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void The_cooldown_is_counted_from_when_the_pass_ended_not_when_it_started()
    {
        var school = WithCooldown(TimeSpan.FromMinutes(10));
        TakeAndReturn(school, 9, 10, 9, 18);

        school.At(9, 21);
        var refused = school.Request(Ana, RestroomA);

        Assert.Equal(ReasonCode.Cooldown, refused.Reason);
        Assert.Equal(TimeSpan.FromMinutes(7), refused.Wait);
    }

    [Fact]
    public void The_cooldown_applies_only_to_the_student_who_had_the_pass()
    {
        var school = WithCooldown(TimeSpan.FromMinutes(10));
        TakeAndReturn(school, 9, 10, 9, 12);

        school.At(9, 13);
        Assert.Equal(Outcome.Granted, school.Request(Ben, RestroomA).Outcome);
        Assert.Equal(ReasonCode.Cooldown, school.Request(Ana, Water).Reason);
    }

    [Fact]
    public void Without_a_cooldown_in_the_policy_a_student_may_go_again_right_away()
    {
        var school = new TestSchool();
        Assert.Null(school.Building.Policy.Cooldown);
        TakeAndReturn(school, 9, 10, 9, 12);

        var again = school.Request(Ana, RestroomA);

        Assert.Equal(Outcome.Granted, again.Outcome);
    }

    private static TestSchool WithCooldown(TimeSpan cooldown)
    {
        var school = new TestSchool();
        var changed = school.Handle(new ChangePolicy(school.Building.Policy with { Cooldown = cooldown }, school.Now, Principal));
        Assert.Equal(Outcome.Accepted, changed.Outcome);
        return school;
    }

    private static void TakeAndReturn(TestSchool school, int hour, int minute, int backHour, int backMinute)
    {
        school.At(hour, minute);
        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);
        school.At(backHour, backMinute);
        Assert.Equal(Outcome.Returned, school.Tap(Ana, KioskA101).Outcome);
    }
}
