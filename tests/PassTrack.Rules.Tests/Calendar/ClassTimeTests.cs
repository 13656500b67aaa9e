using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Calendar;

/// <summary>Rule 3 and the calendar: passes are for class time on school days, unless the building allows them outside periods.</summary>
public class ClassTimeTests
{
    private static readonly DateOnly Saturday = new(2026, 12, 5);

    private static Decision AllowPassesOutsidePeriods(TestSchool school) =>
        school.Configure((at, actor) => new ChangePolicy(school.Building.Policy with { PassesOutsidePeriods = true }, at, actor));

    [Fact]
    public void There_are_no_passes_on_a_weekend()
    {
        var school = SchoolAt.On(Saturday, 10, 0);

        var decision = school.Request(Ana, RestroomA);

        Assert.Equal(Outcome.Refused, decision.Outcome);
        Assert.Equal(ReasonCode.NoSchoolToday, decision.Reason);
        Assert.Equal(new[] { "No school today." }, decision.StudentMessage.English);
        Assert.Null(school.Building.SchoolDayAt(school.Now).Schedule);
        Assert.Empty(school.EventsOf<PassCreated>());
    }

    [Fact]
    public void A_weekday_the_calendar_marks_as_no_school_has_no_passes()
    {
        var school = new TestSchool().At(9, 10);
        school.Configure((at, actor) => new ChangeCalendar(
            new SchoolCalendar(school.Building.Calendar.Weekdays, new Dictionary<DateOnly, string?> { [Tuesday] = null }), at, actor));

        Assert.Equal(ReasonCode.NoSchoolToday, school.Request(Ana, RestroomA).Reason);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Between_periods_passes_are_refused_as_outside_class_time()
    {
        // Period 1 ends at 8:50 and period 2 starts at 8:55.
        var school = SchoolAt.Tuesday(8, 52);

        var decision = school.Request(Ana, RestroomA);

        Assert.Equal(Outcome.Refused, decision.Outcome);
        Assert.Equal(ReasonCode.OutsideClassTime, decision.Reason);
        Assert.Equal(new[] { "Passes only during", "class time." }, decision.StudentMessage.English);
        Assert.Empty(school.EventsOf<PassCreated>());
    }

    [Fact]
    public void Before_the_first_bell_passes_are_refused_as_outside_class_time()
    {
        var school = SchoolAt.Tuesday(7, 40);

        Assert.Equal(ReasonCode.OutsideClassTime, school.Request(Ana, RestroomA).Reason);
    }

    [Fact]
    public void A_building_that_allows_passes_outside_periods_grants_them_between_periods()
    {
        var school = SchoolAt.Tuesday(8, 52);
        Assert.Equal(Outcome.Accepted, AllowPassesOutsidePeriods(school).Outcome);

        var decision = school.Request(Ana, RestroomA);

        Assert.Equal(Outcome.Granted, decision.Outcome);
        Assert.Equal(PassState.Active, school.Pass(decision).State);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_building_that_allows_passes_outside_periods_grants_them_on_a_weekend()
    {
        var school = SchoolAt.On(Saturday, 10, 0);
        AllowPassesOutsidePeriods(school);

        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Allowing_passes_outside_periods_does_not_lift_the_buffers_inside_a_period()
    {
        var school = SchoolAt.Tuesday(8, 56);
        AllowPassesOutsidePeriods(school);

        Assert.Equal(ReasonCode.PeriodStartBuffer, school.Request(Ana, RestroomA).Reason);
    }

    [Fact]
    public void A_tap_between_periods_is_refused_before_the_student_picks_a_destination()
    {
        var school = SchoolAt.Tuesday(8, 52);

        var decision = school.Tap(Ana, KioskA101);

        Assert.Equal(Outcome.Refused, decision.Outcome);
        Assert.Equal(ReasonCode.OutsideClassTime, decision.Reason);
        Assert.Null(decision.Destination);
        Assert.Null(Assert.Single(school.EventsOf<RequestRefused>()).Destination);
    }

    [Fact]
    public void A_tap_on_a_weekend_is_refused_early()
    {
        var school = SchoolAt.On(Saturday, 10, 0);

        Assert.Equal(ReasonCode.NoSchoolToday, school.Tap(Ana, KioskA101).Reason);
    }
}
