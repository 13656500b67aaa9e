using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Limits;

/// <summary>Rule 9: an optional building-wide cap on students in the halls, here two.</summary>
public class BuildingCapTests
{
    [Fact]
    public void When_the_halls_hold_the_cap_nobody_else_may_leave_from_any_room()
    {
        var school = WithBuildingCap(2);
        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);
        Assert.Equal(Outcome.Granted, school.Request(Dev, Water).Outcome);

        var third = school.Request(Fay, RestroomB);

        Assert.Equal(Outcome.Refused, third.Outcome);
        Assert.Equal(ReasonCode.BuildingCap, third.Reason);
        Assert.Null(school.Building.OpenPassOf(Fay));
        Assert.Equal(2, school.Building.InHalls);
        Assert.Equal(new[] { "The halls are full.", "Try again soon." }, third.StudentMessage.English);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_return_frees_a_place_in_the_halls()
    {
        var school = WithBuildingCap(2);
        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);
        Assert.Equal(Outcome.Granted, school.Request(Dev, Water).Outcome);
        Assert.Equal(ReasonCode.BuildingCap, school.Request(Fay, RestroomB).Reason);

        school.Clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(Outcome.Returned, school.Tap(Dev, KioskA102).Outcome);
        var fay = school.Request(Fay, RestroomB);

        Assert.Equal(Outcome.Granted, fay.Outcome);
        Assert.Equal(2, school.Building.InHalls);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Without_a_cap_only_the_room_limits_apply()
    {
        var school = new TestSchool();
        Assert.Null(school.Building.Policy.BuildingCap);

        foreach (var student in new[] { Ana, Ben, Dev, Eli, Fay, Gus })
        {
            Assert.Equal(Outcome.Granted, school.Request(student, Office).Outcome);
        }

        Assert.Equal(6, school.Building.InHalls);
    }

    private static TestSchool WithBuildingCap(int cap)
    {
        var school = new TestSchool();
        var changed = school.Configure((at, by) => new ChangePolicy(school.Building.Policy with { BuildingCap = cap }, at, by));
        Assert.Equal(Outcome.Accepted, changed.Outcome);
        return school;
    }
}
