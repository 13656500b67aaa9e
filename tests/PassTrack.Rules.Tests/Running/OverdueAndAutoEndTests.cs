using PassTrack.Rules.Queues;
using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Running;

public class OverdueAndAutoEndTests
{
    [Fact]
    public void A_pass_within_its_time_limit_is_not_overdue()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, RestroomA);

        school.Wait(TimeSpan.FromMinutes(7));

        Assert.False(school.Pass(granted).Overdue);
        Assert.Empty(school.EventsOf<PassOverdue>());
    }

    [Fact]
    public void Past_its_time_limit_an_active_pass_is_flagged_overdue_and_staff_are_alerted_once()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, RestroomA);

        school.Wait(TimeSpan.FromMinutes(9));

        var alert = Assert.Single(school.EventsOf<PassOverdue>());
        Assert.Equal(granted.Pass, alert.Pass);
        Assert.Equal(Ana, alert.Student);
        Assert.Equal(A101, alert.Origin);
        Assert.Equal(RestroomA, alert.Destination);
        Assert.Equal(Tue(9, 19), alert.At);
        var pass = school.Pass(granted);
        Assert.True(pass.Overdue);
        Assert.Equal(PassState.Active, pass.State);
        Assert.Equal(pass.Id, school.Building.OpenPassOf(Ana)?.Id);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_second_wait_past_the_limit_does_not_raise_a_second_alert()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, RestroomA);

        school.Wait(TimeSpan.FromMinutes(9));
        school.Wait(TimeSpan.FromMinutes(3));
        school.Wait(TimeSpan.FromMinutes(5));

        Assert.Single(school.EventsOf<PassOverdue>());
        Assert.True(school.Pass(granted).Overdue);
        Assert.Equal(PassState.Active, school.Pass(granted).State);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_pass_returned_in_time_is_never_flagged_overdue()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, RestroomA);
        school.Clock.Advance(TimeSpan.FromMinutes(5));
        school.Tap(Ana, KioskA101);

        school.Wait(TimeSpan.FromMinutes(20));

        Assert.Empty(school.EventsOf<PassOverdue>());
        Assert.False(school.Pass(granted).Overdue);
        Assert.Equal(TransitionCause.Returned, school.Pass(granted).EndCause);
    }

    [Fact]
    public void An_overdue_pass_stays_active_until_the_end_of_the_period_it_started_in()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, RestroomA);

        school.AdvanceTo(9, 44, 59);

        var pass = school.Pass(granted);
        Assert.True(pass.Overdue);
        Assert.Equal(PassState.Active, pass.State);
        Assert.False(pass.NeedsReview);
    }

    [Fact]
    public void At_the_end_of_the_period_it_started_in_an_overdue_pass_is_auto_ended_and_marked_for_review()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, RestroomA);
        school.AdvanceTo(9, 20);

        school.AdvanceTo(9, 45);

        var pass = school.Pass(granted);
        Assert.Equal(PassState.Terminated, pass.State);
        Assert.Equal(TransitionCause.AutoEnded, pass.EndCause);
        Assert.True(pass.NeedsReview);
        Assert.Equal(Tue(9, 45), pass.EndedAt);
        Assert.Equal(TimeSpan.FromMinutes(35), pass.Duration);
        Assert.Equal(Actor.System, pass.EndedBy);
        Assert.Null(school.Building.OpenPassOf(Ana));
        Assert.Equal(0, school.Building.OutFrom(A101));
        Assert.Equal(0, school.Building.ActiveAt(RestroomA));
        Assert.Single(school.EventsOf<PassOverdue>());
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_pass_forgotten_without_a_timer_tick_in_between_is_flagged_overdue_and_auto_ended_at_once()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, RestroomA);

        school.AdvanceTo(9, 50);

        var pass = school.Pass(granted);
        Assert.Single(school.EventsOf<PassOverdue>());
        Assert.True(pass.Overdue);
        Assert.Equal(PassState.Terminated, pass.State);
        Assert.Equal(TransitionCause.AutoEnded, pass.EndCause);
        Assert.True(pass.NeedsReview);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Without_auto_end_at_period_end_an_overdue_pass_ends_thirty_minutes_after_its_due_time()
    {
        var school = new TestSchool(c => c with { Policy = c.Policy with { AutoEndAtPeriodEnd = false } }).At(9, 10);
        var granted = school.Request(Ana, RestroomA);
        Assert.Equal(TimeSpan.FromMinutes(30), school.Building.Policy.AutoEndAfterOverdue);

        school.AdvanceTo(9, 45);
        Assert.Equal(PassState.Active, school.Pass(granted).State);
        school.AdvanceTo(9, 47, 59);
        Assert.Equal(PassState.Active, school.Pass(granted).State);
        Assert.True(school.Pass(granted).Overdue);

        school.AdvanceTo(9, 48);

        var pass = school.Pass(granted);
        Assert.Equal(PassState.Terminated, pass.State);
        Assert.Equal(TransitionCause.AutoEnded, pass.EndCause);
        Assert.True(pass.NeedsReview);
        Assert.Equal(Tue(9, 48), pass.EndedAt);
        Assert.Single(school.EventsOf<PassOverdue>());
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void An_auto_ended_pass_frees_its_place_for_the_head_of_the_line()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, RestroomA);
        var queued = school.Request(Dev, RestroomA);
        Assert.Equal(Outcome.Queued, queued.Outcome);

        school.AdvanceTo(9, 45);

        Assert.Equal(PassState.Terminated, school.Pass(granted).State);
        var offer = Assert.Single(school.EventsOf<QueueOfferMade>());
        Assert.Equal(queued.Pass, offer.Pass);
        Assert.Equal(Tue(9, 46), offer.ClaimBy);
        Assert.Equal(Tue(9, 46), school.Pass(queued).ClaimBy);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void An_auto_ended_nurse_pass_without_arrival_is_also_flagged_never_arrived()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, Nurse);

        school.AdvanceTo(9, 45);

        var pass = school.Pass(granted);
        Assert.Equal(TransitionCause.AutoEnded, pass.EndCause);
        Assert.True(pass.NeverArrived);
        Assert.True(pass.NeedsReview);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_building_rebuilt_from_its_log_does_not_alert_again_for_a_pass_already_flagged_overdue()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, RestroomA);
        school.Wait(TimeSpan.FromMinutes(9));
        var rebuilt = Building.Rebuild(school.Configuration, school.Events);

        rebuilt.Handle(new Advance(Tue(9, 25)));

        Assert.DoesNotContain(rebuilt.TakeEvents(), e => e is PassOverdue);
        Assert.True(rebuilt.FindPass(granted.Pass!.Value)?.Overdue);
    }
}
