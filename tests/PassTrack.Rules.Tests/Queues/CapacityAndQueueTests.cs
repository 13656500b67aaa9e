using PassTrack.Rules.Encounters;
using PassTrack.Rules.Queues;
using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Queues;

/// <summary>
/// Rule 11: destination capacity and the virtual queue. Restroom A holds one student. When full, the student may join
/// a first-come-first-served line; when a place frees, the head of the line is offered it and has 60 seconds to claim
/// it before it passes to the next. Accommodations may exempt from capacity, never from encounter prevention.
/// </summary>
public class CapacityAndQueueTests
{
    private static readonly TimeSpan ClaimWindow = TimeSpan.FromSeconds(60);

    [Fact]
    public void When_Restroom_A_is_full_the_next_students_join_its_line_in_order()
    {
        var school = new TestSchool();
        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);

        var second = school.Request(Ben, RestroomA);
        var third = school.Request(Dev, RestroomA);

        Assert.Equal(Outcome.Queued, second.Outcome);
        Assert.Equal(ReasonCode.DestinationFull, second.Reason);
        Assert.Equal(1, second.QueuePosition);
        Assert.Equal(Outcome.Queued, third.Outcome);
        Assert.Equal(2, third.QueuePosition);
        Assert.Equal(PassState.Queued, school.Pass(second).State);
        Assert.Equal(PassState.Queued, school.Pass(third).State);
        Assert.Equal(new[] { second.Pass!.Value, third.Pass!.Value }, school.Building.QueueOf(RestroomA));
        Assert.Equal(1, school.Building.ActiveAt(RestroomA));
        Assert.Equal(new[] { "Restroom A:", "you are #1", "in line. Wait for", "your turn." }, second.StudentMessage.English);
        Assert.Equal(new[] { "Baño A:", "eres el #2", "en la fila. Espera", "tu turno." }, third.StudentMessage.Spanish);
        // Waiting in line is not being out.
        Assert.Equal(1, school.Building.OutFrom(A101));
        Assert.Equal(0, school.Building.OutFrom(A102));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void When_a_place_frees_the_head_of_the_line_is_offered_it_for_sixty_seconds()
    {
        var school = new TestSchool();
        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);
        var ben = school.Request(Ben, RestroomA);
        var dev = school.Request(Dev, RestroomA);
        school.Clock.Advance(TimeSpan.FromMinutes(4));

        Assert.Equal(Outcome.Returned, school.Tap(Ana, KioskA101).Outcome);

        var offer = Assert.Single(school.EventsOf<QueueOfferMade>());
        Assert.Equal(ben.Pass, offer.Pass);
        Assert.Equal(RestroomA, offer.Destination);
        Assert.Equal(school.Now + ClaimWindow, offer.ClaimBy);
        Assert.Equal(school.Now + ClaimWindow, school.Pass(ben).ClaimBy);
        Assert.Equal(PassState.Queued, school.Pass(ben).State);
        Assert.Equal(0, school.Building.QueuePosition(school.Pass(ben)));
        Assert.Equal(1, school.Building.QueuePosition(school.Pass(dev)));
        Assert.Null(school.Pass(dev).ClaimBy);
        // The place is held for Ben: a newcomer joins the line behind Dev.
        Assert.Equal(1, school.Building.Occupancy(RestroomA));
        var eli = school.Request(Eli, RestroomA);
        Assert.Equal(Outcome.Queued, eli.Outcome);
        Assert.Equal(2, eli.QueuePosition);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void The_head_of_the_line_claims_its_place_by_tapping_at_its_kiosk()
    {
        var school = new TestSchool();
        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);
        var ben = school.Request(Ben, RestroomA);
        var dev = school.Request(Dev, RestroomA);
        school.Clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(Outcome.Returned, school.Tap(Ana, KioskA101).Outcome);
        school.Clock.Advance(TimeSpan.FromSeconds(20));

        var claim = school.Tap(Ben, KioskA101);

        Assert.Equal(Outcome.Granted, claim.Outcome);
        Assert.Equal(ReasonCode.QueueClaimed, claim.Reason);
        Assert.Equal(ben.Pass, claim.Pass);
        var pass = school.Pass(ben);
        Assert.Equal(PassState.Active, pass.State);
        Assert.Equal(school.Now, pass.StartedAt);
        Assert.Null(pass.ClaimBy);
        Assert.True(pass.Exemptions.HasFlag(Exemptions.QueueClaim));
        Assert.Equal(TimeSpan.FromMinutes(8), claim.TimeLimit);
        Assert.Equal(new[] { "Your turn!", "Restroom A", "8 minutes" }, claim.StudentMessage.English);
        Assert.Equal(new[] { dev.Pass!.Value }, school.Building.QueueOf(RestroomA));
        Assert.Equal(1, school.Building.QueuePosition(school.Pass(dev)));
        Assert.Equal(1, school.Building.ActiveAt(RestroomA));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void The_teacher_can_claim_the_place_from_their_screen()
    {
        var school = new TestSchool();
        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);
        var ben = school.Request(Ben, RestroomA);
        school.Clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(Outcome.Returned, school.Tap(Ana, KioskA101).Outcome);

        var claim = school.Handle(new ClaimPass(ben.Pass!.Value, school.Now, TeacherA101));

        Assert.Equal(Outcome.Granted, claim.Outcome);
        Assert.Equal(ReasonCode.QueueClaimed, claim.Reason);
        Assert.Equal(PassState.Active, school.Pass(ben).State);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_student_further_back_who_taps_is_told_their_place_in_line()
    {
        var school = new TestSchool();
        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);
        Assert.Equal(Outcome.Queued, school.Request(Ben, RestroomA).Outcome);
        var carla = school.Request(Carla, RestroomA);

        var tap = school.Tap(Carla, KioskA101);

        Assert.Equal(Outcome.Status, tap.Outcome);
        Assert.Equal(ReasonCode.WaitingInQueue, tap.Reason);
        Assert.Equal(2, tap.QueuePosition);
        Assert.Equal(PassState.Queued, school.Pass(carla).State);
    }

    [Fact]
    public void A_claim_window_that_expires_passes_the_place_to_the_next_student()
    {
        var school = new TestSchool();
        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);
        var ben = school.Request(Ben, RestroomA);
        var dev = school.Request(Dev, RestroomA);
        school.Clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(Outcome.Returned, school.Tap(Ana, KioskA101).Outcome);

        school.Wait(TimeSpan.FromSeconds(61));

        var expired = school.Pass(ben);
        Assert.Equal(PassState.Expired, expired.State);
        Assert.Equal(TransitionCause.ClaimExpired, expired.EndCause);
        Assert.Null(expired.StartedAt);
        Assert.Null(school.Building.OpenPassOf(Ben));
        var lastTransition = school.EventsOf<PassTransitioned>().Last(e => e.Pass == ben.Pass);
        Assert.Equal(ReasonCode.ClaimWindowExpired, lastTransition.Reason);
        var offers = school.EventsOf<QueueOfferMade>().ToList();
        Assert.Equal(2, offers.Count);
        Assert.Equal(dev.Pass, offers[1].Pass);
        Assert.Equal(school.Now + ClaimWindow, offers[1].ClaimBy);
        Assert.Equal(0, school.Building.QueuePosition(school.Pass(dev)));
        // A pass that never started does not count toward Ben's limit.
        Assert.Equal(0, school.Building.PassesToday(Ben, school.Now));

        var claim = school.Tap(Dev, KioskA102);
        Assert.Equal(Outcome.Granted, claim.Outcome);
        Assert.Equal(ReasonCode.QueueClaimed, claim.Reason);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_claim_inside_the_window_still_counts_at_fifty_nine_seconds()
    {
        var school = new TestSchool();
        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);
        var ben = school.Request(Ben, RestroomA);
        school.Clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(Outcome.Returned, school.Tap(Ana, KioskA101).Outcome);

        school.Wait(TimeSpan.FromSeconds(59));

        Assert.Equal(PassState.Queued, school.Pass(ben).State);
        Assert.Equal(Outcome.Granted, school.Tap(Ben, KioskA101).Outcome);
    }

    [Fact]
    public void A_student_who_does_not_want_to_wait_is_refused_when_the_destination_is_full()
    {
        var school = new TestSchool();
        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);

        var ben = school.Request(Ben, RestroomA, joinQueue: false);

        Assert.Equal(Outcome.Refused, ben.Outcome);
        Assert.Equal(ReasonCode.DestinationFull, ben.Reason);
        Assert.Null(ben.Pass);
        Assert.Null(school.Building.OpenPassOf(Ben));
        Assert.Empty(school.Building.QueueOf(RestroomA));
        Assert.Equal(new[] { "Restroom A", "is full.", "Try again soon." }, ben.StudentMessage.English);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_student_whose_plan_exempts_them_from_capacity_goes_past_a_full_destination()
    {
        var school = new TestSchool();
        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);
        var ben = school.Request(Ben, RestroomA);

        var mia = school.Request(Mia, RestroomA);

        Assert.Equal(Outcome.Granted, mia.Outcome);
        Assert.Equal(ReasonCode.ExemptByAccommodation, mia.Reason);
        var pass = school.Pass(mia);
        Assert.Equal(PassState.Active, pass.State);
        Assert.True(pass.Exemptions.HasFlag(Exemptions.CapacityByAccommodation));
        Assert.Equal(TimeSpan.FromMinutes(13), pass.TimeLimit);
        Assert.Equal(2, school.Building.ActiveAt(RestroomA));
        // Ben keeps his place at the head of the line.
        Assert.Equal(1, school.Building.QueuePosition(school.Pass(ben)));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_capacity_exemption_never_exempts_from_encounter_prevention()
    {
        var school = new TestSchool();
        var saved = school.Configure((at, by) => new SaveEncounterGroup(new EncounterGroup(new EncounterGroupId("grp-mia"), [Mia, Ana]), at, by));
        Assert.Equal(Outcome.Accepted, saved.Outcome);
        var ana = school.Request(Ana, RestroomA);
        Assert.Equal(Outcome.Granted, ana.Outcome);

        var mia = school.Request(Mia, RestroomA);

        Assert.Equal(Outcome.Refused, mia.Outcome);
        Assert.Equal(ReasonCode.EncounterBlocked, mia.Reason);
        Assert.Null(school.Building.OpenPassOf(Mia));
        Assert.Equal(1, school.Building.ActiveAt(RestroomA));
        var logged = Assert.Single(school.EventsOf<EncounterAttemptBlocked>());
        Assert.Equal(Mia, logged.Student);
        Assert.Equal(Ana, logged.OtherStudent);
        Assert.Equal(ana.Pass, logged.OtherPass);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Students_leaving_the_line_move_the_others_up()
    {
        var school = new TestSchool();
        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);
        var ben = school.Request(Ben, RestroomA);
        var carla = school.Request(Carla, RestroomA);
        var dev = school.Request(Dev, RestroomA);

        var left = school.Handle(new CancelPass(ben.Pass!.Value, school.Now, Actor.OfStudent(Ben)));

        Assert.Equal(Outcome.Accepted, left.Outcome);
        var benPass = school.Pass(ben);
        Assert.Equal(PassState.Cancelled, benPass.State);
        Assert.Equal(TransitionCause.CancelledByStudent, benPass.EndCause);
        Assert.Equal(1, school.Building.QueuePosition(school.Pass(carla)));
        Assert.Equal(2, school.Building.QueuePosition(school.Pass(dev)));
        Assert.Equal(new[] { carla.Pass!.Value, dev.Pass!.Value }, school.Building.QueueOf(RestroomA));
        // Nothing freed up, so nothing is offered.
        Assert.Empty(school.EventsOf<QueueOfferMade>());
        var devTap = school.Tap(Dev, KioskA102);
        Assert.Equal(ReasonCode.WaitingInQueue, devTap.Reason);
        Assert.Equal(2, devTap.QueuePosition);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void When_the_student_holding_the_offer_leaves_the_line_the_place_goes_to_the_next()
    {
        var school = new TestSchool();
        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);
        var ben = school.Request(Ben, RestroomA);
        var dev = school.Request(Dev, RestroomA);
        school.Clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(Outcome.Returned, school.Tap(Ana, KioskA101).Outcome);
        school.Clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(Outcome.Accepted, school.Handle(new CancelPass(ben.Pass!.Value, school.Now, Actor.OfStudent(Ben))).Outcome);

        Assert.Equal(school.Now + ClaimWindow, school.Pass(dev).ClaimBy);
        Assert.Equal(1, school.Building.Occupancy(RestroomA));
        Assert.Equal(Outcome.Granted, school.Tap(Dev, KioskA102).Outcome);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Each_destination_has_its_own_capacity()
    {
        var school = new TestSchool();
        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomB).Outcome);
        Assert.Equal(Outcome.Granted, school.Request(Dev, RestroomB).Outcome);

        Assert.Equal(Outcome.Queued, school.Request(Fay, RestroomB).Outcome);
        Assert.Equal(Outcome.Granted, school.Request(Gus, RestroomA).Outcome);
        Assert.Equal(2, school.Building.ActiveAt(RestroomB));
        Assert.Equal(1, school.Building.ActiveAt(RestroomA));
    }
}
