using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Calendar;

/// <summary>Rule 4: no passes in the first and last minutes of a period (10 by default, set per schedule); accommodations may exempt.</summary>
public class PeriodBufferTests
{
    private static Decision SaveRegularSchedule(TestSchool school, TimeSpan startBuffer, TimeSpan endBuffer)
    {
        var regular = school.Building.Schedules.Single(s => s.DayType == "regular");
        return school.Configure((at, actor) => new SaveBellSchedule(regular with { StartBuffer = startBuffer, EndBuffer = endBuffer }, at, actor));
    }

    [Fact]
    public void At_the_bell_a_request_is_refused_and_the_student_told_how_long_to_wait()
    {
        // Period 2 starts at 8:55.
        var school = SchoolAt.Tuesday(8, 55);

        var decision = school.Request(Ana, RestroomA);

        Assert.Equal(Outcome.Refused, decision.Outcome);
        Assert.Equal(ReasonCode.PeriodStartBuffer, decision.Reason);
        Assert.Equal(TimeSpan.FromMinutes(10), decision.Wait);
        Assert.Equal(new[] { "Too early in class.", "Try again in 10", "min." }, decision.StudentMessage.English);
        Assert.Equal("Refused: too early in the period; passes open in 10 min.", decision.StaffExplanation);
        Assert.Empty(school.EventsOf<PassCreated>());
        Assert.Equal(ReasonCode.PeriodStartBuffer, Assert.Single(school.EventsOf<RequestRefused>()).Reason);
    }

    [Fact]
    public void Ten_minutes_into_the_period_to_the_second_a_pass_is_granted()
    {
        var school = SchoolAt.Tuesday(9, 5, 0);

        var decision = school.Request(Ana, RestroomA);

        Assert.Equal(Outcome.Granted, decision.Outcome);
        Assert.Equal(ReasonCode.Ok, decision.Reason);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void One_second_before_the_buffer_ends_a_pass_is_refused()
    {
        var school = SchoolAt.Tuesday(9, 4, 59);

        var decision = school.Request(Ana, RestroomA);

        Assert.Equal(ReasonCode.PeriodStartBuffer, decision.Reason);
        Assert.Equal(TimeSpan.FromSeconds(1), decision.Wait);
    }

    [Fact]
    public void Ten_minutes_before_the_period_ends_passes_stop()
    {
        // Period 2 ends at 9:45.
        var school = SchoolAt.Tuesday(9, 35, 0);

        var decision = school.Request(Ana, RestroomA);

        Assert.Equal(Outcome.Refused, decision.Outcome);
        Assert.Equal(ReasonCode.PeriodEndBuffer, decision.Reason);
        Assert.Equal(new[] { "Class ends soon.", "Please wait for the", "bell." }, decision.StudentMessage.English);
        Assert.Empty(school.EventsOf<PassCreated>());
    }

    [Fact]
    public void One_second_before_the_end_buffer_a_pass_is_granted()
    {
        var school = SchoolAt.Tuesday(9, 34, 59);

        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);
    }

    [Fact]
    public void The_last_minute_of_a_period_is_inside_the_end_buffer()
    {
        var school = SchoolAt.Tuesday(9, 44, 59);

        Assert.Equal(ReasonCode.PeriodEndBuffer, school.Request(Ana, RestroomA).Reason);
    }

    [Fact]
    public void A_schedule_can_set_its_own_buffers()
    {
        var school = SchoolAt.Tuesday(8, 59);
        Assert.Equal(Outcome.Accepted, SaveRegularSchedule(school, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5)).Outcome);

        var early = school.Request(Ana, RestroomA);
        school.At(9, 0);
        var atFive = school.Request(Ben, Water);
        school.At(9, 39, 59);
        var beforeEnd = school.Request(Dev, Water);
        school.At(9, 40);
        var inEnd = school.Request(Eli, Water);

        Assert.Equal(ReasonCode.PeriodStartBuffer, early.Reason);
        Assert.Equal(TimeSpan.FromMinutes(1), early.Wait);
        Assert.Equal(Outcome.Granted, atFive.Outcome);
        Assert.Equal(Outcome.Granted, beforeEnd.Outcome);
        Assert.Equal(ReasonCode.PeriodEndBuffer, inEnd.Reason);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_schedule_with_no_buffers_grants_at_the_bell()
    {
        var school = SchoolAt.Tuesday(8, 55);
        SaveRegularSchedule(school, TimeSpan.Zero, TimeSpan.Zero);

        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);
        school.At(9, 44, 59);
        Assert.Equal(Outcome.Granted, school.Request(Dev, Water).Outcome);
    }

    [Fact]
    public void Buffers_set_for_one_schedule_do_not_change_another()
    {
        // The testing day's schedule gets no start buffer; Tuesday is still a regular day.
        var school = SchoolAt.Tuesday(8, 56);
        var testing = school.Building.Schedules.Single(s => s.DayType == "testing");
        school.Configure((at, actor) => new SaveBellSchedule(testing with { StartBuffer = TimeSpan.Zero }, at, actor));

        var decision = school.Request(Ana, RestroomA);

        Assert.Equal(ReasonCode.PeriodStartBuffer, decision.Reason);
        Assert.Equal(TimeSpan.FromMinutes(9), decision.Wait);
    }

    [Fact]
    public void The_testing_days_own_buffers_apply_on_a_testing_day()
    {
        // Testing day period 2 runs 9:35-11:05; its schedule starts passes 5 minutes in.
        var school = SchoolAt.Tuesday(9, 39);
        var testing = school.Building.Schedules.Single(s => s.DayType == "testing");
        school.Configure((at, actor) => new SaveBellSchedule(testing with { StartBuffer = TimeSpan.FromMinutes(5) }, at, actor));
        school.Configure((at, actor) => new ChangeCalendar(
            new SchoolCalendar(school.Building.Calendar.Weekdays, new Dictionary<DateOnly, string?> { [Tuesday] = "testing" }), at, actor));

        var early = school.Request(Ana, RestroomA);
        school.At(9, 40);
        var onTime = school.Request(Ana, RestroomA);

        Assert.Equal(ReasonCode.PeriodStartBuffer, early.Reason);
        Assert.Equal(Outcome.Granted, onTime.Outcome);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_student_whose_plan_exempts_them_from_buffers_is_granted_at_the_start_of_a_period()
    {
        var school = SchoolAt.Tuesday(8, 56);

        var decision = school.Request(Mia, RestroomA);

        Assert.Equal(Outcome.Granted, decision.Outcome);
        Assert.Equal(ReasonCode.ExemptByAccommodation, decision.Reason);
        Assert.Contains("under their accommodation plan", decision.StaffExplanation, StringComparison.Ordinal);
        var pass = school.Pass(decision);
        Assert.Equal(PassState.Active, pass.State);
        Assert.True(pass.Exemptions.HasFlag(Exemptions.BuffersByAccommodation));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_student_whose_plan_exempts_them_from_buffers_is_granted_at_the_end_of_a_period()
    {
        var school = SchoolAt.Tuesday(9, 40);

        var decision = school.Request(Mia, RestroomA);

        Assert.Equal(Outcome.Granted, decision.Outcome);
        Assert.Equal(ReasonCode.ExemptByAccommodation, decision.Reason);
        Assert.True(school.Pass(decision).Exemptions.HasFlag(Exemptions.BuffersByAccommodation));
    }

    [Fact]
    public void Outside_the_buffers_no_exemption_is_recorded_for_a_student_with_a_plan()
    {
        var school = new TestSchool().At(9, 10);

        var decision = school.Request(Mia, RestroomA);

        Assert.Equal(ReasonCode.Ok, decision.Reason);
        Assert.False(school.Pass(decision).Exemptions.HasFlag(Exemptions.BuffersByAccommodation));
    }

    [Fact]
    public void The_buffer_exemption_does_not_open_a_testing_period()
    {
        var school = new TestSchool().At(9, 10);
        school.Configure((at, actor) => new ChangeCalendar(
            new SchoolCalendar(school.Building.Calendar.Weekdays, new Dictionary<DateOnly, string?> { [Tuesday] = "testing" }), at, actor));

        Assert.Equal(ReasonCode.TestingPeriod, school.Request(Mia, RestroomA).Reason);
    }

    [Fact]
    public void A_tap_inside_the_buffer_is_refused_early_but_an_exempt_student_may_choose()
    {
        var school = SchoolAt.Tuesday(8, 56);

        var ana = school.Tap(Ana, KioskA101);
        var mia = school.Tap(Mia, KioskA102);

        Assert.Equal(Outcome.Refused, ana.Outcome);
        Assert.Equal(ReasonCode.PeriodStartBuffer, ana.Reason);
        Assert.Equal(TimeSpan.FromMinutes(9), ana.Wait);
        Assert.Null(ana.Destination);
        Assert.Equal(Outcome.Identified, mia.Outcome);
    }

    [Fact]
    public void Buffers_are_checked_before_restricted_destinations()
    {
        var school = SchoolAt.Tuesday(8, 56);

        Assert.Equal(ReasonCode.PeriodStartBuffer, school.Request(Sofia, Library).Reason);
    }
}
