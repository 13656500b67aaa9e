using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Limits;

/// <summary>Rule 6, by the week: passes taken Monday to Sunday, with a weekly limit of four here.</summary>
public class WeeklyLimitTests
{
    private static readonly DateOnly Wednesday = Tuesday.AddDays(1);
    private static readonly DateOnly Thursday = Tuesday.AddDays(2);
    private static readonly DateOnly Friday = Tuesday.AddDays(3);
    private static readonly DateOnly NextMonday = Tuesday.AddDays(6);

    [Fact]
    public void The_weekly_limit_counts_passes_taken_on_different_days_of_the_week()
    {
        var school = WithWeeklyLimit(4);
        TakePass(school, Tuesday, 9, 10);
        TakePass(school, Tuesday, 9, 15);
        TakePass(school, Tuesday, 9, 20);
        TakePass(school, Wednesday, 9, 10);

        school.On(Thursday, 9, 10);
        var fifth = school.Request(Ana, RestroomA);

        Assert.Equal(0, school.Building.PassesToday(Ana, school.Now));
        Assert.Equal(4, school.Building.PassesThisWeek(Ana, school.Now));
        Assert.Equal(Outcome.PendingApproval, fifth.Outcome);
        Assert.Equal(ReasonCode.WeeklyLimitReached, fifth.Reason);
        var pass = school.Pass(fifth);
        Assert.Equal(ApprovalRequirement.OriginTeacher, pass.ApprovalRoute);
        Assert.Contains(school.Building.AwaitingApprovalBy(TeacherA101), p => p.Id == pass.Id);
        Assert.Contains("weekly pass limit", fifth.StaffExplanation, StringComparison.Ordinal);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Under_the_weekly_limit_a_new_day_starts_without_approval()
    {
        var school = WithWeeklyLimit(5);
        TakePass(school, Tuesday, 9, 10);
        TakePass(school, Tuesday, 9, 15);
        TakePass(school, Tuesday, 9, 20);
        TakePass(school, Wednesday, 9, 10);

        school.On(Thursday, 9, 10);
        var fifth = school.Request(Ana, RestroomA);

        Assert.Equal(Outcome.Granted, fifth.Outcome);
        Assert.Equal(5, school.Building.PassesThisWeek(Ana, school.Now));
    }

    [Fact]
    public void The_weekly_count_starts_again_on_Monday()
    {
        var school = WithWeeklyLimit(4);
        TakePass(school, Tuesday, 9, 10);
        TakePass(school, Tuesday, 9, 15);
        TakePass(school, Tuesday, 9, 20);
        TakePass(school, Wednesday, 9, 10);

        school.On(Friday, 9, 10);
        var friday = school.Request(Ana, RestroomA);
        Assert.Equal(Outcome.PendingApproval, friday.Outcome);
        Assert.Equal(ReasonCode.WeeklyLimitReached, friday.Reason);
        Assert.Equal(Outcome.Refused, school.Deny(friday.Pass!.Value, TeacherA101).Outcome);
        Assert.Equal(PassState.Denied, school.Pass(friday).State);

        school.On(NextMonday, 9, 10);
        var monday = school.Request(Ana, RestroomA);

        Assert.Equal(Outcome.Granted, monday.Outcome);
        Assert.Equal(ReasonCode.Ok, monday.Reason);
        Assert.Equal(1, school.Building.PassesThisWeek(Ana, school.Now));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_student_whose_plan_exempts_them_from_limits_is_granted_past_the_weekly_limit()
    {
        var school = WithWeeklyLimit(1);
        TakePass(school, Tuesday, 9, 10, Mia, KioskA102);

        school.On(Wednesday, 9, 10);
        var second = school.Request(Mia, RestroomA);

        Assert.Equal(Outcome.Granted, second.Outcome);
        Assert.True(school.Pass(second).Exemptions.HasFlag(Exemptions.LimitsByAccommodation));
    }

    private static TestSchool WithWeeklyLimit(int limit)
    {
        var school = new TestSchool();
        var changed = school.Configure((at, by) => new ChangePolicy(school.Building.Policy with { WeeklyLimit = limit }, at, by));
        Assert.Equal(Outcome.Accepted, changed.Outcome);
        return school;
    }

    private static void TakePass(TestSchool school, DateOnly date, int hour, int minute) => TakePass(school, date, hour, minute, Ana, KioskA101);

    private static void TakePass(TestSchool school, DateOnly date, int hour, int minute, StudentId student, KioskId kiosk)
    {
        school.On(date, hour, minute);
        Assert.Equal(Outcome.Granted, school.Request(student, RestroomA).Outcome);
        school.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(Outcome.Returned, school.Tap(student, kiosk).Outcome);
    }
}
