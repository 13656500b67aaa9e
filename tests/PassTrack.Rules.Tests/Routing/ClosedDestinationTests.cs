using PassTrack.Rules.Queues;
using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Routing;

/// <summary>
/// Rule 5 and "destination closed": new requests reroute to the nearest open equivalent (same section first, then the
/// section's nearby ones in order), queued students are moved, and active passes are unaffected.
/// </summary>
public class ClosedDestinationTests
{
    private static readonly SectionId WingA = new("A");
    private static readonly SectionId WingB = new("B");
    private static readonly SectionId OfficeWing = new("ADMIN");
    private static readonly DestinationId RestroomA2 = new("restroom-a2");
    private static readonly DestinationId RestroomOffice = new("restroom-office");

    private static Decision Close(TestSchool school, DestinationId id) =>
        school.Configure((at, actor) => new SaveDestination(school.Building.FindDestination(id)! with { Open = false }, at, actor));

    private static Decision Reopen(TestSchool school, DestinationId id) =>
        school.Configure((at, actor) => new SaveDestination(school.Building.FindDestination(id)! with { Open = true }, at, actor));

    private static Decision AddRestroom(TestSchool school, DestinationId id, string name, SectionId section) =>
        school.Configure((at, actor) => new SaveDestination(new Destination(id, name, DestinationKind.Restroom, section, 2, TimeSpan.FromMinutes(8)), at, actor));

    [Fact]
    public void A_request_for_a_closed_restroom_goes_to_an_open_one_in_the_same_section_first()
    {
        var school = new TestSchool().At(9, 10);
        Assert.Equal(Outcome.Accepted, AddRestroom(school, RestroomA2, "Restroom A2", WingA).Outcome);
        Assert.Equal(Outcome.Accepted, Close(school, RestroomA).Outcome);

        var decision = school.Request(Ana, RestroomA);

        Assert.Equal(Outcome.Granted, decision.Outcome);
        Assert.Equal(ReasonCode.RoutedAroundClosedDestination, decision.Reason);
        Assert.Equal(RestroomA2, decision.Destination);
        Assert.Equal(new[] { "Pass granted", "Go to:", "Restroom A2", "8 minutes" }, decision.StudentMessage.English);
        Assert.Equal("Ana García was granted a pass to Restroom A2, the nearest open alternative, for 8 min.", decision.StaffExplanation);
        var pass = school.Pass(decision);
        Assert.Equal(RestroomA, pass.Requested);
        Assert.Equal(RestroomA2, pass.Destination);
        Assert.Equal(ReasonCode.RoutedAroundClosedDestination, pass.Routing);
        Assert.Equal(0, school.Building.ActiveAt(RestroomA));
        Assert.Equal(1, school.Building.ActiveAt(RestroomA2));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void With_no_open_equivalent_in_the_section_the_sections_nearby_list_decides_in_order()
    {
        // Wing A lists wing B, then the office wing, as nearby.
        var school = new TestSchool().At(9, 10);
        AddRestroom(school, RestroomOffice, "Office Restroom", OfficeWing);
        Close(school, RestroomA);

        var ana = school.Request(Ana, RestroomA);

        Assert.Equal(ReasonCode.RoutedAroundClosedDestination, ana.Reason);
        Assert.Equal(RestroomB, school.Pass(ana).Destination);

        // Wing A now lists the office wing first.
        school.Configure((at, actor) => new SaveSection(new Section(WingA, "A Wing", [OfficeWing, WingB]), at, actor));
        var ben = school.Request(Ben, RestroomA);

        Assert.Equal(ReasonCode.RoutedAroundClosedDestination, ben.Reason);
        Assert.Equal(RestroomOffice, school.Pass(ben).Destination);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void The_nearest_equivalent_is_found_from_the_students_room_not_from_the_closed_destination()
    {
        // Restroom B (wing B) is closed; Fay asks from B201 and Ana from A101.
        var school = new TestSchool().At(9, 10);
        AddRestroom(school, RestroomA2, "Restroom A2", WingA);
        AddRestroom(school, RestroomOffice, "Office Restroom", OfficeWing);
        Close(school, RestroomB);

        var fay = school.Request(Fay, RestroomB);

        Assert.Equal(ReasonCode.RoutedAroundClosedDestination, fay.Reason);
        // Wing B lists wing A first; of the two wing A restrooms, the first by id.
        Assert.Equal(RestroomA, school.Pass(fay).Destination);
    }

    [Fact]
    public void A_closed_destination_with_no_open_equivalent_is_refused()
    {
        var school = new TestSchool().At(9, 10);
        Close(school, Library);

        var decision = school.Request(Ana, Library);

        Assert.Equal(Outcome.Refused, decision.Outcome);
        Assert.Equal(ReasonCode.DestinationClosed, decision.Reason);
        Assert.Equal(new[] { "Library", "is closed. Please", "see your teacher." }, decision.StudentMessage.English);
        Assert.Equal("Refused: Library is closed and no open alternative exists.", decision.StaffExplanation);
        Assert.Empty(school.EventsOf<PassCreated>());
        Assert.Equal(ReasonCode.DestinationClosed, Assert.Single(school.EventsOf<RequestRefused>()).Reason);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_designated_restroom_is_not_an_equivalent_for_students_not_designated_to_it()
    {
        var school = new TestSchool().At(9, 10);
        Close(school, RestroomA);
        Close(school, RestroomB);

        var ana = school.Request(Ana, RestroomA);
        var noor = school.Request(Noor, RestroomA);

        Assert.Equal(ReasonCode.DestinationClosed, ana.Reason);
        Assert.Equal(Outcome.Granted, noor.Outcome);
        Assert.Equal(RestroomHealth, school.Pass(noor).Destination);
    }

    [Fact]
    public void An_equivalent_the_student_is_restricted_from_is_skipped()
    {
        var school = new TestSchool().At(9, 10);
        var ana = school.Building.FindStudent(Ana)!;
        school.Configure((at, actor) => new SaveStudent(ana with { Profile = ana.Profile with { RestrictedDestinations = [RestroomB] } }, at, actor));
        AddRestroom(school, RestroomOffice, "Office Restroom", OfficeWing);
        Close(school, RestroomA);

        var decision = school.Request(Ana, RestroomA);

        Assert.Equal(ReasonCode.RoutedAroundClosedDestination, decision.Reason);
        Assert.Equal(RestroomOffice, school.Pass(decision).Destination);
    }

    [Fact]
    public void A_reopened_destination_is_granted_again_as_asked()
    {
        var school = new TestSchool().At(9, 10);
        Close(school, RestroomA);
        Assert.Equal(ReasonCode.RoutedAroundClosedDestination, school.Request(Ana, RestroomA).Reason);

        Reopen(school, RestroomA);
        var decision = school.Request(Ben, RestroomA);

        Assert.Equal(ReasonCode.Ok, decision.Reason);
        Assert.Equal(RestroomA, school.Pass(decision).Destination);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Closing_a_destination_leaves_passes_already_there_running()
    {
        var school = new TestSchool().At(9, 10);
        var ana = school.Request(Ana, RestroomA);
        var dueBack = school.Pass(ana).DueBack;

        school.Clock.Advance(TimeSpan.FromMinutes(1));
        Close(school, RestroomA);

        var pass = school.Pass(ana);
        Assert.Equal(PassState.Active, pass.State);
        Assert.Equal(RestroomA, pass.Destination);
        Assert.Equal(dueBack, pass.DueBack);
        Assert.Equal(1, school.Building.ActiveAt(RestroomA));
        Assert.Empty(school.EventsOf<PassRerouted>());

        school.Clock.Advance(TimeSpan.FromMinutes(3));
        var back = school.Tap(Ana, KioskA101);
        Assert.Equal(Outcome.Returned, back.Outcome);
        Assert.Equal(PassState.Completed, school.Pass(ana).State);
        Assert.Equal(TimeSpan.FromMinutes(4), school.Pass(ana).Duration);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Students_waiting_in_line_move_to_the_alternative_in_order_and_are_offered_its_free_places()
    {
        // Restroom A (1 place) is taken by Ana, with Ben then Dev waiting. Restroom B (2 places) has Fay in it: one place free.
        var school = new TestSchool().At(9, 10);
        var ana = school.Request(Ana, RestroomA);
        var fay = school.Request(Fay, RestroomB);
        school.Clock.Advance(TimeSpan.FromSeconds(10));
        var ben = school.Request(Ben, RestroomA);
        school.Clock.Advance(TimeSpan.FromSeconds(10));
        var dev = school.Request(Dev, RestroomA);
        Assert.Equal(Outcome.Queued, ben.Outcome);
        Assert.Equal(Outcome.Queued, dev.Outcome);

        school.Clock.Advance(TimeSpan.FromMinutes(1));
        Close(school, RestroomA);

        var moved = school.EventsOf<PassRerouted>().ToList();
        Assert.Equal(
            new[] { new PassRerouted(ben.Pass!.Value, RestroomA, RestroomB), new PassRerouted(dev.Pass!.Value, RestroomA, RestroomB) },
            moved.Select(e => new PassRerouted(e.Pass, e.From, e.To)));
        Assert.Empty(school.Building.QueueOf(RestroomA));
        Assert.Equal(new[] { ben.Pass.Value, dev.Pass.Value }, school.Building.QueueOf(RestroomB));

        var benPass = school.Pass(ben);
        Assert.Equal(PassState.Queued, benPass.State);
        Assert.Equal(RestroomB, benPass.Destination);
        Assert.Equal(RestroomA, benPass.Requested);
        Assert.Equal(ReasonCode.RoutedAroundClosedDestination, benPass.Routing);
        var offer = Assert.Single(school.EventsOf<QueueOfferMade>());
        Assert.Equal(ben.Pass, offer.Pass);
        Assert.Equal(RestroomB, offer.Destination);
        Assert.NotNull(benPass.ClaimBy);
        Assert.Null(school.Pass(dev).ClaimBy);

        // The pass already at the closed restroom is unaffected.
        Assert.Equal(PassState.Active, school.Pass(ana).State);
        Assert.Equal(RestroomA, school.Pass(ana).Destination);
        Assert.Equal(PassState.Active, school.Pass(fay).State);

        var claimed = school.Tap(Ben, KioskA101);
        Assert.Equal(Outcome.Granted, claimed.Outcome);
        Assert.Equal(ReasonCode.QueueClaimed, claimed.Reason);
        Assert.Equal(RestroomB, school.Pass(ben).Destination);
        Assert.Equal(PassState.Active, school.Pass(ben).State);

        var devStatus = school.Tap(Dev, KioskA102);
        Assert.Equal(ReasonCode.WaitingInQueue, devStatus.Reason);
        Assert.Equal(1, devStatus.QueuePosition);
        Assert.Equal(RestroomB, devStatus.Destination);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Students_moved_to_an_empty_alternative_are_all_offered_a_place()
    {
        var school = new TestSchool().At(9, 10);
        school.Request(Ana, RestroomA);
        var ben = school.Request(Ben, RestroomA);
        var dev = school.Request(Dev, RestroomA);

        Close(school, RestroomA);

        var offers = school.EventsOf<QueueOfferMade>().ToList();
        Assert.Equal(new[] { ben.Pass!.Value, dev.Pass!.Value }, offers.Select(o => o.Pass));
        Assert.All(offers, o => Assert.Equal(RestroomB, o.Destination));
        Assert.Equal(2, school.Building.Occupancy(RestroomB));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Students_moved_to_a_full_alternative_wait_behind_those_already_in_its_line()
    {
        var school = new TestSchool().At(9, 10);
        school.Request(Fay, RestroomB);
        school.Request(Dev, RestroomB);
        school.Clock.Advance(TimeSpan.FromSeconds(10));
        var gus = school.Request(Gus, RestroomB);
        school.Request(Ana, RestroomA);
        school.Clock.Advance(TimeSpan.FromSeconds(10));
        var ben = school.Request(Ben, RestroomA);
        school.Clock.Advance(TimeSpan.FromSeconds(10));
        var carla = school.Request(Carla, RestroomA);
        Assert.All(new[] { gus, ben, carla }, d => Assert.Equal(Outcome.Queued, d.Outcome));

        Close(school, RestroomA);

        Assert.Equal(new[] { gus.Pass!.Value, ben.Pass!.Value, carla.Pass!.Value }, school.Building.QueueOf(RestroomB));
        Assert.Empty(school.EventsOf<QueueOfferMade>());
        Assert.Equal(2, school.Tap(Ben, KioskA101).QueuePosition);
        Assert.Equal(3, school.Tap(Carla, KioskA101).QueuePosition);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Students_waiting_for_a_closed_destination_with_no_equivalent_have_their_passes_cancelled()
    {
        var school = new TestSchool().At(9, 10);
        school.Configure((at, actor) => new SaveDestination(school.Building.FindDestination(Library)! with { Capacity = 1 }, at, actor));
        var ana = school.Request(Ana, Library);
        var dev = school.Request(Dev, Library);
        Assert.Equal(Outcome.Queued, dev.Outcome);

        Close(school, Library);

        var devPass = school.Pass(dev);
        Assert.Equal(PassState.Cancelled, devPass.State);
        Assert.Equal(TransitionCause.DestinationClosed, devPass.EndCause);
        Assert.Null(school.Building.OpenPassOf(Dev));
        Assert.Empty(school.Building.QueueOf(Library));
        Assert.Empty(school.EventsOf<PassRerouted>());
        Assert.Equal(PassState.Active, school.Pass(ana).State);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_returning_student_frees_no_place_at_a_closed_destination()
    {
        var school = new TestSchool().At(9, 10);
        school.Request(Ana, RestroomA);
        Close(school, RestroomA);
        school.Clock.Advance(TimeSpan.FromMinutes(2));

        school.Tap(Ana, KioskA101);

        Assert.Equal(0, school.Building.Occupancy(RestroomA));
        Assert.Empty(school.EventsOf<QueueOfferMade>());
        Assert.Equal(ReasonCode.RoutedAroundClosedDestination, school.Request(Ben, RestroomA).Reason);
    }
}
