using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Calendar;

/// <summary>Rule 3: no passes in a testing period, or when passes are switched off for the period or the room.</summary>
public class TestingAndBlackoutTests
{
    private static readonly DateOnly Wednesday = Tuesday.AddDays(1);

    private static Decision MakeTestingDay(TestSchool school, DateOnly date) =>
        school.Configure((at, actor) => new ChangeCalendar(
            new SchoolCalendar(school.Building.Calendar.Weekdays, new Dictionary<DateOnly, string?> { [date] = "testing" }), at, actor));

    [Fact]
    public void A_period_with_passes_switched_off_refuses_requests()
    {
        // On the testing day, period 1 runs 8:00-9:30 with passes off.
        var school = new TestSchool().At(9, 10);
        Assert.Equal(Outcome.Accepted, MakeTestingDay(school, Tuesday).Outcome);

        var decision = school.Request(Ana, RestroomA);

        Assert.Equal(Outcome.Refused, decision.Outcome);
        Assert.Equal(ReasonCode.TestingPeriod, decision.Reason);
        Assert.Equal(new[] { "Testing in progress.", "No passes now." }, decision.StudentMessage.English);
        Assert.Equal("Refused: passes are off for testing.", decision.StaffExplanation);
        Assert.Empty(school.EventsOf<PassCreated>());
        Assert.Equal(ReasonCode.TestingPeriod, Assert.Single(school.EventsOf<RequestRefused>()).Reason);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void The_next_period_of_a_testing_day_allows_passes_again()
    {
        // Period 2 of the testing day runs 9:35-11:05 with passes on.
        var school = new TestSchool().At(9, 10);
        MakeTestingDay(school, Tuesday);
        Assert.Equal(ReasonCode.TestingPeriod, school.Request(Ana, RestroomA).Reason);

        school.At(9, 50);
        var decision = school.Request(Ana, RestroomA);

        Assert.Equal(Outcome.Granted, decision.Outcome);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_testing_day_on_another_date_leaves_today_alone()
    {
        var school = new TestSchool().At(9, 10);
        MakeTestingDay(school, Wednesday);

        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);

        school.On(Wednesday, 9, 10);
        Assert.Equal(ReasonCode.TestingPeriod, school.Request(Ben, RestroomA).Reason);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_testing_period_is_refused_before_buffers_and_restrictions_are_looked_at()
    {
        // 8:01 is inside the start buffer and Sofia is restricted from the library: the testing period is the answer.
        var school = SchoolAt.Tuesday(8, 1);
        MakeTestingDay(school, Tuesday);

        Assert.Equal(ReasonCode.TestingPeriod, school.Request(Sofia, Library).Reason);
    }

    [Fact]
    public void A_building_wide_testing_blackout_refuses_every_room()
    {
        var school = new TestSchool().At(9, 10);
        school.Configure((at, actor) => new SaveBlackout(new PassBlackout("state-test", Tuesday, null, null, BlackoutKind.Testing), at, actor));

        var ana = school.Request(Ana, RestroomA);
        var dev = school.Request(Dev, Water);
        var fay = school.Request(Fay, RestroomB);

        Assert.All(new[] { ana, dev, fay }, d =>
        {
            Assert.Equal(Outcome.Refused, d.Outcome);
            Assert.Equal(ReasonCode.TestingPeriod, d.Reason);
        });
        Assert.Empty(school.EventsOf<PassCreated>());
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_blackout_holds_only_on_its_date()
    {
        var school = new TestSchool().At(9, 10);
        school.Configure((at, actor) => new SaveBlackout(new PassBlackout("state-test", Wednesday, null, null, BlackoutKind.Testing), at, actor));

        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);

        school.On(Wednesday, 9, 10);
        Assert.Equal(ReasonCode.TestingPeriod, school.Request(Ben, RestroomA).Reason);
    }

    [Fact]
    public void Passes_switched_off_for_one_room_and_period_refuse_only_that_room_in_that_period()
    {
        var school = new TestSchool().At(9, 10);
        school.Configure((at, actor) => new TuesdayBlackout("a101-off", "2", A101, BlackoutKind.Disabled).Command(at, actor));

        var ana = school.Request(Ana, RestroomA);
        var dev = school.Request(Dev, Water);

        Assert.Equal(Outcome.Refused, ana.Outcome);
        Assert.Equal(ReasonCode.PassesDisabled, ana.Reason);
        Assert.Equal(new[] { "Passes are off", "right now." }, ana.StudentMessage.English);
        Assert.Equal(Outcome.Granted, dev.Outcome);

        // Period 3 (9:50-10:40) is not covered.
        school.At(10, 5);
        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_testing_blackout_in_one_room_says_testing_and_a_disabled_one_says_disabled()
    {
        var school = new TestSchool().At(9, 10);
        school.Configure((at, actor) => new TuesdayBlackout("a101-test", null, A101, BlackoutKind.Testing).Command(at, actor));
        school.Configure((at, actor) => new TuesdayBlackout("b201-off", null, B201, BlackoutKind.Disabled).Command(at, actor));

        Assert.Equal(ReasonCode.TestingPeriod, school.Request(Ana, RestroomA).Reason);
        Assert.Equal(ReasonCode.PassesDisabled, school.Request(Fay, RestroomB).Reason);
        Assert.Equal(Outcome.Granted, school.Request(Dev, Water).Outcome);
    }

    [Fact]
    public void Removing_a_blackout_switches_passes_back_on()
    {
        var school = new TestSchool().At(9, 10);
        school.Configure((at, actor) => new TuesdayBlackout("a101-off", null, A101, BlackoutKind.Disabled).Command(at, actor));
        Assert.Equal(ReasonCode.PassesDisabled, school.Request(Ana, RestroomA).Reason);

        var removed = school.Configure((at, actor) => new RemoveBlackout("a101-off", at, actor));
        var decision = school.Request(Ana, RestroomA);

        Assert.Equal(Outcome.Accepted, removed.Outcome);
        Assert.Equal(Outcome.Granted, decision.Outcome);
        Assert.Empty(school.Building.Blackouts);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Staff_with_the_right_role_can_override_a_testing_period_with_a_comment()
    {
        var school = new TestSchool().At(9, 10);
        MakeTestingDay(school, Tuesday);

        var decision = school.StaffRequest(TeacherA101, Ana, Nurse, ruleOverride: new RuleOverride("Feeling faint during the test"));

        Assert.Equal(Outcome.Granted, decision.Outcome);
        Assert.Equal(ReasonCode.StaffOverride, decision.Reason);
        var pass = school.Pass(decision);
        Assert.True(pass.Exemptions.HasFlag(Exemptions.StaffOverride));
        Assert.Equal("Feeling faint during the test", pass.OverrideComment);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_tap_in_a_testing_period_is_refused_before_the_student_picks_a_destination()
    {
        var school = new TestSchool().At(9, 10);
        MakeTestingDay(school, Tuesday);

        var decision = school.Tap(Ana, KioskA101);

        Assert.Equal(Outcome.Refused, decision.Outcome);
        Assert.Equal(ReasonCode.TestingPeriod, decision.Reason);
        Assert.Equal(Ana, decision.Student);
        Assert.Null(decision.Destination);
        var refused = Assert.Single(school.EventsOf<RequestRefused>());
        Assert.Null(refused.Destination);
        Assert.Equal(A101, refused.Origin);
    }

    [Fact]
    public void A_tap_in_a_room_with_passes_switched_off_is_refused_early()
    {
        var school = new TestSchool().At(9, 10);
        school.Configure((at, actor) => new TuesdayBlackout("a101-off", null, A101, BlackoutKind.Disabled).Command(at, actor));

        Assert.Equal(ReasonCode.PassesDisabled, school.Tap(Ana, KioskA101).Reason);
        Assert.Equal(Outcome.Identified, school.Tap(Dev, KioskA102).Outcome);
    }

    [Fact]
    public void A_student_out_when_testing_starts_can_still_return()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, RestroomA);
        MakeTestingDay(school, Tuesday);

        school.Clock.Advance(TimeSpan.FromMinutes(4));
        var back = school.Tap(Ana, KioskA101);

        Assert.Equal(Outcome.Returned, back.Outcome);
        Assert.Equal(PassState.Completed, school.Pass(granted).State);
    }

    [Fact]
    public void Making_today_a_testing_day_keeps_the_passes_already_taken_today()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, RestroomA);
        school.Clock.Advance(TimeSpan.FromMinutes(4));
        school.Tap(Ana, KioskA101);
        Assert.Contains(school.Building.ClosedToday, p => p.Id == granted.Pass);

        school.Clock.Advance(TimeSpan.FromMinutes(1));
        MakeTestingDay(school, Tuesday);
        Assert.Equal(ReasonCode.TestingPeriod, school.Request(Ben, RestroomA).Reason);

        Assert.Contains(school.Building.ClosedToday, p => p.Id == granted.Pass);
        Assert.Equal(PassState.Completed, school.Building.FindPass(granted.Pass!.Value)?.State);
        Assert.Equal(1, school.Building.PassesToday(Ana, school.Now));
    }

    /// <summary>A blackout on the test's Tuesday.</summary>
    private sealed record TuesdayBlackout(string Id, string? Period, RoomId? Room, BlackoutKind Kind)
    {
        public SaveBlackout Command(DateTimeOffset at, Actor actor) => new(new PassBlackout(Id, Tuesday, Period, Room, Kind), at, actor);
    }
}
