using PassTrack.Rules.Queues;
using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Queues;

public class LateClaimTests
{
    [Fact]
    public void A_claim_after_the_window_closed_is_refused_even_before_any_timer_runs_and_the_place_goes_to_the_next()
    {
        var school = new TestSchool().At(9, 10);
        var first = school.Request(Ana, RestroomA);
        var dev = school.Request(Dev, RestroomA);
        var fay = school.Request(Fay, RestroomA, from: A102);
        school.Tap(Ana, KioskA101);
        Assert.NotNull(school.Pass(dev).ClaimBy);

        school.Clock.Advance(TimeSpan.FromSeconds(61));
        var late = school.Tap(Dev, KioskA102);

        Assert.Equal(Outcome.Refused, late.Outcome);
        Assert.Equal(ReasonCode.ClaimWindowExpired, late.Reason);
        Assert.Equal(PassState.Expired, school.Pass(dev).State);
        Assert.NotNull(school.Pass(fay).ClaimBy);
        Assert.Equal(PassState.Completed, school.Pass(first).State);
        Assert.Equal(2, school.EventsOf<QueueOfferMade>().Count());
        school.AssertRebuildsIdentically();
    }
}
