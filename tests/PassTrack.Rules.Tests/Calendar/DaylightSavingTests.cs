using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Calendar;

/// <summary>Rule 4 across clock changes: periods and buffers follow the school's wall clock, not UTC.</summary>
public class DaylightSavingTests
{
    /// <summary>US daylight saving time began on Sunday 14 March 2027 at 2:00 (clocks jumped to 3:00).</summary>
    private static readonly DateOnly SpringForwardSunday = new(2027, 3, 14);

    private static readonly DateOnly MondayAfterSpringForward = new(2027, 3, 15);

    /// <summary>US daylight saving time ended on Sunday 1 November 2026 at 2:00 (clocks went back to 1:00).</summary>
    private static readonly DateOnly FallBackSunday = new(2026, 11, 1);

    private static readonly DateOnly MondayAfterFallBack = new(2026, 11, 2);

    [Fact]
    public void On_the_Monday_after_spring_forward_the_buffer_ends_at_9_05_local_time()
    {
        var school = SchoolAt.On(MondayAfterSpringForward, 8, 59);

        var early = school.Request(Ana, RestroomA);
        school.At(9, 5);
        var onTime = school.Request(Ana, RestroomA);

        Assert.Equal(ReasonCode.PeriodStartBuffer, early.Reason);
        Assert.Equal(TimeSpan.FromMinutes(6), early.Wait);
        Assert.Equal(Outcome.Granted, onTime.Outcome);
        // 9:05 Eastern Daylight Time is 13:05 UTC.
        Assert.Equal(new DateTimeOffset(2027, 3, 15, 13, 5, 0, TimeSpan.Zero), school.Pass(onTime).StartedAt);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void On_the_Monday_after_spring_forward_the_periods_are_placed_in_daylight_time()
    {
        var school = SchoolAt.On(MondayAfterSpringForward, 9, 10);

        var day = school.Building.SchoolDayAt(school.Now);

        Assert.Equal(MondayAfterSpringForward, day.Date);
        Assert.Equal("regular", day.Schedule?.DayType);
        Assert.Equal(new DateTimeOffset(2027, 3, 15, 12, 55, 0, TimeSpan.Zero), day.Periods[1].Start);
        Assert.Equal(new DateTimeOffset(2027, 3, 15, 13, 45, 0, TimeSpan.Zero), day.Periods[1].End);
    }

    [Fact]
    public void On_the_Monday_after_fall_back_the_buffer_ends_at_9_05_local_time()
    {
        var school = SchoolAt.On(MondayAfterFallBack, 8, 59);

        var early = school.Request(Ana, RestroomA);
        school.At(9, 5);
        var onTime = school.Request(Ana, RestroomA);

        Assert.Equal(ReasonCode.PeriodStartBuffer, early.Reason);
        Assert.Equal(Outcome.Granted, onTime.Outcome);
        // 9:05 Eastern Standard Time is 14:05 UTC.
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 14, 5, 0, TimeSpan.Zero), school.Pass(onTime).StartedAt);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Passes_on_the_Friday_before_and_the_Monday_after_spring_forward_both_open_at_9_05_local_time()
    {
        var friday = new DateOnly(2027, 3, 12);
        var school = SchoolAt.On(friday, 9, 5);
        var before = school.Request(Ana, RestroomA);
        var fridayStart = school.Pass(before).StartedAt!.Value;
        school.Clock.Advance(TimeSpan.FromMinutes(3));
        school.Tap(Ana, KioskA101);

        school.On(MondayAfterSpringForward, 9, 4);
        var tooEarly = school.Request(Ana, RestroomA);
        school.At(9, 5);
        var after = school.Request(Ana, RestroomA);

        Assert.Equal(Outcome.Granted, before.Outcome);
        Assert.Equal(ReasonCode.PeriodStartBuffer, tooEarly.Reason);
        Assert.Equal(Outcome.Granted, after.Outcome);
        Assert.Equal(new DateTimeOffset(2027, 3, 12, 14, 5, 0, TimeSpan.Zero), fridayStart);
        Assert.Equal(TimeSpan.FromHours(-5), TimeZoneInfo.ConvertTime(fridayStart, Zone).Offset);
        Assert.Equal(TimeSpan.FromHours(-4), TimeZoneInfo.ConvertTime(school.Pass(after).StartedAt!.Value, Zone).Offset);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_local_time_skipped_by_spring_forward_is_read_with_the_offset_before_the_gap()
    {
        var instant = SchoolDay.LocalInstant(SpringForwardSunday, new TimeOnly(2, 30), Zone);

        // 2:30 does not exist that night: it is read as 2:30 EST, which is 3:30 EDT.
        Assert.Equal(new DateTimeOffset(2027, 3, 14, 7, 30, 0, TimeSpan.Zero), instant);
        Assert.Equal(new DateTime(2027, 3, 14, 3, 30, 0), TimeZoneInfo.ConvertTime(instant, Zone).DateTime);
    }

    [Fact]
    public void A_local_time_repeated_by_fall_back_takes_its_first_occurrence()
    {
        var instant = SchoolDay.LocalInstant(FallBackSunday, new TimeOnly(1, 30), Zone);

        // 1:30 happens twice: first in EDT (05:30 UTC), then in EST (06:30 UTC).
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 5, 30, 0, TimeSpan.Zero), instant);
    }

    [Fact]
    public void Local_times_away_from_a_clock_change_use_the_offset_in_force()
    {
        Assert.Equal(new DateTimeOffset(2027, 3, 14, 6, 59, 0, TimeSpan.Zero), SchoolDay.LocalInstant(SpringForwardSunday, new TimeOnly(1, 59), Zone));
        Assert.Equal(new DateTimeOffset(2027, 3, 14, 7, 0, 0, TimeSpan.Zero), SchoolDay.LocalInstant(SpringForwardSunday, new TimeOnly(3, 0), Zone));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 7, 0, 0, TimeSpan.Zero), SchoolDay.LocalInstant(FallBackSunday, new TimeOnly(2, 0), Zone));
    }

    [Fact]
    public void A_period_whose_bell_falls_in_the_spring_forward_gap_starts_at_the_first_real_instant_after_it()
    {
        // A school day on the Sunday of the change, with a period starting at 2:30 local, which that night skips.
        var school = SchoolAt.On(SpringForwardSunday, 1, 0);
        school.Configure((at, actor) => new SaveBellSchedule(new BellSchedule("night", [new Period("1", new TimeOnly(2, 30), new TimeOnly(4, 0))]), at, actor));
        school.Configure((at, actor) => new ChangeCalendar(
            new SchoolCalendar(school.Building.Calendar.Weekdays, new Dictionary<DateOnly, string?> { [SpringForwardSunday] = "night" }), at, actor));

        var day = school.Building.SchoolDayAt(school.Now);

        Assert.Equal(new DateTimeOffset(2027, 3, 14, 7, 30, 0, TimeSpan.Zero), day.Periods[0].Start);
        Assert.Equal(new DateTimeOffset(2027, 3, 14, 8, 0, 0, TimeSpan.Zero), day.Periods[0].End);
        Assert.Equal(TimeSpan.FromHours(23), day.End - day.Start);
    }

    [Fact]
    public void The_fall_back_day_is_twenty_five_hours_long()
    {
        var school = SchoolAt.On(FallBackSunday, 12, 0);

        var day = school.Building.SchoolDayAt(school.Now);

        Assert.Equal(FallBackSunday, day.Date);
        Assert.Equal(TimeSpan.FromHours(25), day.End - day.Start);
        Assert.Null(day.Schedule);
    }
}
