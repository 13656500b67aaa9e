using PassTrack.Rules.Queues;
using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Running;

public class DestinationClosedTests
{
    private static Decision Close(TestSchool school, DestinationId id)
    {
        var open = school.Building.FindDestination(id)!;
        return school.Configure((at, actor) => new SaveDestination(open with { Open = false }, at, actor));
    }

    [Fact]
    public void Closing_a_destination_leaves_its_active_passes_running()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, Nurse);
        var transitionsBefore = school.TransitionsOf(granted.Pass).Count();
        school.At(9, 12);

        Assert.Equal(Outcome.Accepted, Close(school, Nurse).Outcome);

        var pass = school.Pass(granted);
        Assert.Equal(PassState.Active, pass.State);
        Assert.Equal(Nurse, pass.Destination);
        Assert.Equal(ReasonCode.Ok, pass.Routing);
        Assert.Equal(TimeSpan.FromMinutes(15), pass.TimeLimit);
        Assert.Equal(transitionsBefore, school.TransitionsOf(granted.Pass).Count());
        Assert.DoesNotContain(school.EventsOf<PassRerouted>(), e => e.Pass == granted.Pass);
        Assert.Equal(1, school.Building.ActiveAt(Nurse));
        Assert.Equal(1, school.Building.OutFrom(A101));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_pass_to_a_closed_destination_still_records_arrival_and_returns_normally()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, Nurse);
        Close(school, Nurse);
        school.Clock.Advance(TimeSpan.FromMinutes(2));

        var arrived = school.Tap(Ana, KioskNurse);
        school.Clock.Advance(TimeSpan.FromMinutes(5));
        var back = school.Tap(Ana, KioskA101);

        Assert.Equal(ReasonCode.ArrivalRecorded, arrived.Reason);
        Assert.Equal(Outcome.Returned, back.Outcome);
        var pass = school.Pass(granted);
        Assert.Equal(PassState.Completed, pass.State);
        Assert.Equal(TransitionCause.Returned, pass.EndCause);
        Assert.Equal(TimeSpan.FromMinutes(7), pass.Duration);
        Assert.False(pass.NeverArrived);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Closing_a_restroom_moves_its_line_but_not_the_student_already_there()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, RestroomA);
        var queued = school.Request(Dev, RestroomA);
        Assert.Equal(Outcome.Queued, queued.Outcome);

        Close(school, RestroomA);

        var there = school.Pass(granted);
        Assert.Equal(PassState.Active, there.State);
        Assert.Equal(RestroomA, there.Destination);
        Assert.Equal(1, school.Building.ActiveAt(RestroomA));
        var moved = school.Pass(queued);
        Assert.Equal(PassState.Queued, moved.State);
        Assert.Equal(RestroomB, moved.Destination);
        Assert.Equal(ReasonCode.RoutedAroundClosedDestination, moved.Routing);
        var reroute = Assert.Single(school.EventsOf<PassRerouted>());
        Assert.Equal(queued.Pass, reroute.Pass);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_new_request_for_a_closed_restroom_is_routed_to_the_nearest_open_one()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, RestroomA);
        Close(school, RestroomA);

        var rerouted = school.Request(Ben, RestroomA);

        Assert.Equal(Outcome.Granted, rerouted.Outcome);
        Assert.Equal(ReasonCode.RoutedAroundClosedDestination, rerouted.Reason);
        Assert.Equal(RestroomB, school.Pass(rerouted).Destination);
        Assert.Equal(RestroomA, school.Pass(rerouted).Requested);
        Assert.Equal(RestroomA, school.Pass(granted).Destination);
        Assert.Equal(PassState.Active, school.Pass(granted).State);
        school.AssertRebuildsIdentically();
    }
}
