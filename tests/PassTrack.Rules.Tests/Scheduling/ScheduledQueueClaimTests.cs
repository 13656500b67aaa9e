using PassTrack.Rules.Scheduling;
using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Scheduling;

public class ScheduledQueueClaimTests
{
    [Fact]
    public void A_scheduled_pass_that_waited_in_line_stays_pre_arranged_when_claimed_past_the_room_limit()
    {
        var school = new TestSchool().At(9, 10);
        var nurseVisit = school.Handle(new SchedulePass(Carla, A101, RestroomA, LocalToUtc(Tuesday, new TimeOnly(9, 20)), school.Now, TeacherA101));
        school.Request(Dev, RestroomA, from: A102);
        school.At(9, 20);
        school.Handle(new Advance(school.Now));
        Assert.Equal(PassState.Queued, school.Pass(nurseVisit).State);
        school.Request(Ana, Water);
        school.Request(Ben, Water);
        Assert.Equal(2, school.Building.OutFrom(A101));

        school.Tap(Dev, KioskA102);
        var claimed = school.Tap(Carla, KioskA101);

        Assert.Equal(Outcome.Granted, claimed.Outcome);
        var pass = school.Pass(nurseVisit);
        Assert.Equal(PassState.Active, pass.State);
        Assert.True(pass.Exemptions.HasFlag(Exemptions.Scheduled));
        Assert.True(pass.Exemptions.HasFlag(Exemptions.QueueClaim));
        school.AssertRebuildsIdentically();
    }
}
