using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Running;

public class TardyTests
{
    private static TestSchool WithTardyKioskInA101()
    {
        var school = new TestSchool().At(9, 10);
        var room = school.Building.FindRoom(A101)!;
        var saved = school.Configure((at, actor) => new SaveRoom(room with { TardyMode = true }, at, actor));
        Assert.Equal(Outcome.Accepted, saved.Outcome);
        Assert.True(school.Building.FindRoom(A101)!.TardyMode);
        return school;
    }

    [Fact]
    public void A_tap_three_minutes_after_the_bell_at_a_kiosk_in_tardy_mode_records_a_tardy()
    {
        var school = WithTardyKioskInA101().At(9, 53);

        var late = school.Tap(Ana, KioskA101);

        Assert.Equal(Outcome.Status, late.Outcome);
        Assert.Equal(ReasonCode.TardyRecorded, late.Reason);
        Assert.Equal(TimeSpan.FromMinutes(3), late.Wait);
        var tardy = Assert.Single(school.EventsOf<TardyRecorded>());
        Assert.Equal(Ana, tardy.Student);
        Assert.Equal(A101, tardy.Room);
        Assert.Equal("3", tardy.Period);
        Assert.Equal(TimeSpan.FromMinutes(3), tardy.Late);
        Assert.True(school.Building.WasTardy(Ana, A101, "3"));
        Assert.Null(school.Building.OpenPassOf(Ana));
        Assert.Equal(new[] { "Tardy recorded", "3 min late" }, late.StudentMessage.English);
        Assert.Equal(new[] { "Tardanza registrada", "3 min tarde" }, late.StudentMessage.Spanish);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_second_tap_in_the_same_period_does_not_record_a_second_tardy()
    {
        var school = WithTardyKioskInA101().At(9, 53);
        school.Tap(Ana, KioskA101);
        school.At(9, 58);

        var again = school.Tap(Ana, KioskA101);

        Assert.NotEqual(ReasonCode.TardyRecorded, again.Reason);
        Assert.Single(school.EventsOf<TardyRecorded>());
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_late_tap_in_the_next_period_records_a_new_tardy()
    {
        var school = WithTardyKioskInA101().At(9, 53);
        school.Tap(Ana, KioskA101);
        school.At(10, 49);

        var late = school.Tap(Ana, KioskA101);

        Assert.Equal(ReasonCode.TardyRecorded, late.Reason);
        Assert.Equal(TimeSpan.FromMinutes(4), late.Wait);
        Assert.Equal(new[] { "3", "4" }, school.EventsOf<TardyRecorded>().Select(t => t.Period));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_tap_within_the_grace_after_the_bell_is_not_a_tardy()
    {
        var school = WithTardyKioskInA101().At(9, 50, 45);

        var onTime = school.Tap(Ana, KioskA101);

        Assert.NotEqual(ReasonCode.TardyRecorded, onTime.Reason);
        Assert.Empty(school.EventsOf<TardyRecorded>());
        Assert.False(school.Building.WasTardy(Ana, A101, "3"));
    }

    [Fact]
    public void A_late_tap_at_a_kiosk_not_in_tardy_mode_is_not_a_tardy()
    {
        var school = new TestSchool().At(9, 53);

        var tap = school.Tap(Ana, KioskA101);

        Assert.NotEqual(ReasonCode.TardyRecorded, tap.Reason);
        Assert.Empty(school.EventsOf<TardyRecorded>());
    }

    [Fact]
    public void A_student_returning_from_a_pass_after_the_bell_is_returned_not_marked_tardy()
    {
        var school = WithTardyKioskInA101().At(9, 40);
        var granted = school.StaffRequest(TeacherA101, Ana, RestroomA, ruleOverride: new RuleOverride("needs to go"));
        Assert.Equal(Outcome.Granted, granted.Outcome);
        school.At(9, 53);

        var back = school.Tap(Ana, KioskA101);

        Assert.Equal(Outcome.Returned, back.Outcome);
        Assert.Equal(PassState.Completed, school.Pass(granted).State);
        Assert.Empty(school.EventsOf<TardyRecorded>());
        Assert.Equal(Tue(9, 53), school.Pass(granted).EndedAt);
    }
}
