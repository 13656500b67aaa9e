using PassTrack.Rules.Summons;
using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Summons;

public class RepeatSummonsTests
{
    [Fact]
    public void Summoning_a_student_again_to_the_same_kind_of_place_while_unanswered_adds_no_second_summons()
    {
        var school = new TestSchool().At(9, 10);
        var target = new SummonsTarget(DestinationKind.Counselor, Specialty: "college");

        var first = school.Handle(new Summon([Ana], target, SummonsPriority.Routine, school.Now, CounselorStaff));
        var again = school.Handle(new Summon([Ana], target, SummonsPriority.Urgent, school.Now, CounselorStaff));

        Assert.Equal(Outcome.Accepted, first.Outcome);
        Assert.Equal(Outcome.Refused, again.Outcome);
        Assert.Single(school.EventsOf<StudentSummoned>());
        Assert.Single(school.Building.Summons, s => s.Student == Ana && s.State == SummonsState.Pending);
    }
}
