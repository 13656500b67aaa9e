namespace PassTrack.Rules.Tests.Calendar;

/// <summary>
/// A test school whose clock starts at any local time of a date. TestSchool's own clock starts at 9:10 and a fake
/// clock cannot go back, so the school is made the day before and the clock moved forward to the wanted moment.
/// </summary>
internal static class SchoolAt
{
    public static TestSchool Tuesday(int hour, int minute, int second = 0) => On(TestSchool.Tuesday, hour, minute, second);

    public static TestSchool On(DateOnly date, int hour, int minute, int second = 0)
    {
        var school = new TestSchool(date: date.AddDays(-1));
        school.Clock.SetUtcNow(TestSchool.LocalToUtc(date, new TimeOnly(hour, minute, second)));
        return school;
    }
}
