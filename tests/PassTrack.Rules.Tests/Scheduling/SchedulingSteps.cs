using PassTrack.Rules.Scheduling;
using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Scheduling;

/// <summary>Steps the scheduling tests share: local times, the timer loop at a time, arranging passes ahead.</summary>
internal static class SchedulingSteps
{
    public static readonly DateOnly Wednesday = Tuesday.AddDays(1);
    public static readonly DateOnly Saturday = Tuesday.AddDays(4);
    public static readonly DateOnly Monday = Tuesday.AddDays(6);


    public static Decision Schedule(this TestSchool school, Actor staff, StudentId student, DestinationId destination, int hour, int minute) =>
        school.Handle(new SchedulePass(student, school.HomeroomOf(student), destination, Tue(hour, minute), school.Now, staff, "arranged ahead"));

    public static IEnumerable<PassTransitioned> TransitionsOf(this TestSchool school, PassId? pass) =>
        school.EventsOf<PassTransitioned>().Where(t => t.Pass == pass);
}
