using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Limits;

/// <summary>Rule 8: at most N students out from one room at once (2 by default; a room may set its own).</summary>
public class RoomOutLimitTests
{
    [Fact]
    public void With_two_students_out_from_a_room_a_third_from_that_room_is_refused()
    {
        var school = new TestSchool();
        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);
        Assert.Equal(Outcome.Granted, school.Request(Ben, Water).Outcome);

        var third = school.Request(Carla, Library);

        Assert.Equal(Outcome.Refused, third.Outcome);
        Assert.Equal(ReasonCode.RoomOutLimit, third.Reason);
        Assert.Null(school.Building.OpenPassOf(Carla));
        Assert.Equal(2, school.Building.OutFrom(A101));
        Assert.Equal(new[] { "Too many students", "out from this room.", "Try again soon." }, third.StudentMessage.English);
        Assert.Contains("Room A101", third.StaffExplanation, StringComparison.Ordinal);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Students_out_from_another_room_do_not_count()
    {
        var school = new TestSchool();
        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);
        Assert.Equal(Outcome.Granted, school.Request(Ben, Water).Outcome);

        var fromA102 = school.Request(Dev, Library);

        Assert.Equal(Outcome.Granted, fromA102.Outcome);
        Assert.Equal(1, school.Building.OutFrom(A102));
    }

    [Fact]
    public void When_a_student_comes_back_the_room_has_a_place_again()
    {
        var school = new TestSchool();
        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);
        Assert.Equal(Outcome.Granted, school.Request(Ben, Water).Outcome);
        Assert.Equal(ReasonCode.RoomOutLimit, school.Request(Carla, Library).Reason);

        school.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(Outcome.Returned, school.Tap(Ben, KioskA101).Outcome);
        var carla = school.Request(Carla, Library);

        Assert.Equal(Outcome.Granted, carla.Outcome);
        Assert.Equal(2, school.Building.OutFrom(A101));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Students_waiting_in_a_line_are_not_out_of_the_room()
    {
        var school = new TestSchool();
        Assert.Equal(Outcome.Granted, school.Request(Dev, RestroomA).Outcome);
        Assert.Equal(Outcome.Queued, school.Request(Ana, RestroomA).Outcome);
        Assert.Equal(Outcome.Queued, school.Request(Ben, RestroomA).Outcome);

        var carla = school.Request(Carla, Water);

        Assert.Equal(Outcome.Granted, carla.Outcome);
        Assert.Equal(1, school.Building.OutFrom(A101));
    }

    [Fact]
    public void A_room_with_its_own_limit_of_one_refuses_the_second_student()
    {
        var school = new TestSchool();
        SaveMaxOut(school, A101, 1);
        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);

        var second = school.Request(Ben, Water);

        Assert.Equal(ReasonCode.RoomOutLimit, second.Reason);
        // The other rooms keep the building's default of two.
        Assert.Equal(Outcome.Granted, school.Request(Dev, Water).Outcome);
        Assert.Equal(Outcome.Granted, school.Request(Eli, Water).Outcome);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_room_with_its_own_limit_of_three_lets_a_third_student_go()
    {
        var school = new TestSchool();
        SaveMaxOut(school, A101, 3);
        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);
        Assert.Equal(Outcome.Granted, school.Request(Ben, Water).Outcome);

        var third = school.Request(Carla, Library);

        Assert.Equal(Outcome.Granted, third.Outcome);
        Assert.Equal(3, school.Building.OutFrom(A101));
        school.AssertRebuildsIdentically();
    }

    private static void SaveMaxOut(TestSchool school, RoomId id, int maxOut)
    {
        var room = school.Building.FindRoom(id)! with { MaxOut = maxOut };
        Assert.Equal(Outcome.Accepted, school.Configure((at, by) => new SaveRoom(room, at, by)).Outcome);
    }
}
