using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Passes;

/// <summary>
/// Memory stays bounded on a busy day: only the latest closed passes stay in the building; no rule reads them, and the
/// counts the limits need are kept per student whatever is let go.
/// </summary>
public class ClosedPassMemoryTests
{
    [Fact]
    public void Only_the_latest_closed_passes_stay_in_memory_and_the_rules_still_count_every_pass_taken()
    {
        var school = new TestSchool().At(9, 10);
        var taken = school.Request(Ana, RestroomA);
        school.Clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(Outcome.Returned, school.Tap(Ana, KioskA101).Outcome);
        var first = taken.Pass!.Value;

        PassId last = default;
        for (var i = 0; i < Building.MaxClosedKept; i++)
        {
            var asked = school.Request(Ben, Counselor);
            Assert.Equal(Outcome.PendingApproval, asked.Outcome);
            Assert.Equal(ReasonCode.Denied, school.Deny(asked.Pass!.Value, CounselorStaff).Reason);
            last = asked.Pass!.Value;
        }

        Assert.Equal(Building.MaxClosedKept, school.Building.ClosedToday.Count);
        Assert.Null(school.Building.FindPass(first));
        Assert.Equal(PassState.Denied, school.Building.FindPass(last)?.State);
        // What the rules need of the pass let go is still counted.
        Assert.Equal(1, school.Building.PassesToday(Ana, school.Now));
        school.AssertRebuildsIdentically();
    }
}
