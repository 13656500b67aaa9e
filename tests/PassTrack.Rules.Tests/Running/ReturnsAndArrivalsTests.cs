using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Running;

public class ReturnsAndArrivalsTests
{
    [Fact]
    public void A_tap_at_the_nurses_kiosk_records_arrival_with_the_travel_time()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, Nurse);
        school.Clock.Advance(TimeSpan.FromSeconds(150));

        var arrived = school.Tap(Ana, KioskNurse);

        Assert.Equal(Outcome.Arrived, arrived.Outcome);
        Assert.Equal(ReasonCode.ArrivalRecorded, arrived.Reason);
        Assert.Equal(granted.Pass, arrived.Pass);
        var arrival = Assert.Single(school.EventsOf<PassArrival>());
        Assert.Equal(granted.Pass, arrival.Pass);
        Assert.Equal(NurseRoom, arrival.Room);
        Assert.Equal(Nurse, arrival.ArrivedAt);
        Assert.False(arrival.WrongDestination);
        Assert.Equal(TimeSpan.FromSeconds(150), arrival.TravelTime);
        var pass = school.Pass(granted);
        Assert.Equal(PassState.Active, pass.State);
        Assert.Equal(school.Now, pass.ArrivedAt);
        Assert.Equal(NurseRoom, pass.ArrivedIn);
        Assert.False(pass.WrongDestination);
        Assert.Equal(new[] { "Arrival recorded", "Nurse" }, arrived.StudentMessage.English);
        Assert.Equal(new[] { "Llegada registrada", "Enfermería" }, arrived.StudentMessage.Spanish);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_second_tap_at_the_nurses_kiosk_says_already_arrived_and_keeps_the_first_arrival()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, Nurse);
        school.Clock.Advance(TimeSpan.FromMinutes(2));
        school.Tap(Ana, KioskNurse);
        var firstArrival = school.Now;
        school.Clock.Advance(TimeSpan.FromMinutes(1));

        var again = school.Tap(Ana, KioskNurse);

        Assert.Equal(Outcome.Arrived, again.Outcome);
        Assert.Equal(ReasonCode.AlreadyArrived, again.Reason);
        Assert.Single(school.EventsOf<PassArrival>());
        Assert.Equal(firstArrival, school.Pass(granted).ArrivedAt);
        Assert.Equal(PassState.Active, school.Pass(granted).State);
        Assert.Equal(new[] { "Already checked in", "Nurse" }, again.StudentMessage.English);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Returning_after_arriving_completes_the_pass_without_the_never_arrived_flag()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, Nurse);
        school.Clock.Advance(TimeSpan.FromMinutes(2));
        school.Tap(Ana, KioskNurse);
        school.Clock.Advance(TimeSpan.FromMinutes(8));

        var back = school.Tap(Ana, KioskA101);

        Assert.Equal(Outcome.Returned, back.Outcome);
        Assert.Equal(ReasonCode.PassReturned, back.Reason);
        var pass = school.Pass(granted);
        Assert.Equal(PassState.Completed, pass.State);
        Assert.Equal(TransitionCause.Returned, pass.EndCause);
        Assert.Equal(TimeSpan.FromMinutes(10), pass.Duration);
        Assert.False(pass.NeverArrived);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_return_without_arrival_at_a_destination_that_has_a_kiosk_sets_never_arrived()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, Nurse);
        school.Clock.Advance(TimeSpan.FromMinutes(6));

        var back = school.Tap(Ana, KioskA101);

        Assert.Equal(Outcome.Returned, back.Outcome);
        var pass = school.Pass(granted);
        Assert.Equal(PassState.Completed, pass.State);
        Assert.Equal(TransitionCause.Returned, pass.EndCause);
        Assert.True(pass.NeverArrived);
        Assert.Null(pass.ArrivedAt);
        Assert.True(school.TransitionsOf(granted.Pass).Last().NeverArrived);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_return_from_a_destination_without_a_kiosk_is_not_flagged_never_arrived()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, RestroomA);
        school.Clock.Advance(TimeSpan.FromMinutes(4));

        school.Tap(Ana, KioskA101);

        Assert.Equal(PassState.Completed, school.Pass(granted).State);
        Assert.False(school.Pass(granted).NeverArrived);
    }

    [Fact]
    public void A_tap_at_another_destinations_kiosk_records_wrong_destination_and_keeps_the_pass_active()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, Nurse);
        school.Clock.Advance(TimeSpan.FromMinutes(3));

        var wrong = school.Tap(Ana, KioskLibrary);

        Assert.Equal(Outcome.Arrived, wrong.Outcome);
        Assert.Equal(ReasonCode.WrongDestination, wrong.Reason);
        var arrival = Assert.Single(school.EventsOf<PassArrival>());
        Assert.True(arrival.WrongDestination);
        Assert.Equal(LibraryRoom, arrival.Room);
        Assert.Equal(Library, arrival.ArrivedAt);
        Assert.Equal(TimeSpan.FromMinutes(3), arrival.TravelTime);
        var pass = school.Pass(granted);
        Assert.Equal(PassState.Active, pass.State);
        Assert.Equal(Nurse, pass.Destination);
        Assert.True(pass.WrongDestination);
        Assert.Null(pass.ArrivedAt);
        Assert.Equal(pass.Id, school.Building.OpenPassOf(Ana)?.Id);
        Assert.Equal(new[] { "Wrong place.", "Your pass is for", "Nurse" }, wrong.StudentMessage.English);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void After_a_wrong_destination_the_right_kiosk_still_records_arrival()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, Nurse);
        school.Clock.Advance(TimeSpan.FromMinutes(3));
        school.Tap(Ana, KioskLibrary);
        school.Clock.Advance(TimeSpan.FromMinutes(2));

        var arrived = school.Tap(Ana, KioskNurse);
        school.Clock.Advance(TimeSpan.FromMinutes(5));
        school.Tap(Ana, KioskA101);

        Assert.Equal(ReasonCode.ArrivalRecorded, arrived.Reason);
        var pass = school.Pass(granted);
        Assert.True(pass.WrongDestination);
        Assert.Equal(Tue(9, 15), pass.ArrivedAt);
        Assert.False(pass.NeverArrived);
        Assert.Equal(PassState.Completed, pass.State);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Arrival_at_the_one_way_library_completes_the_pass()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, Library);
        Assert.Equal(Outcome.Granted, granted.Outcome);
        school.Clock.Advance(TimeSpan.FromMinutes(3));

        var arrived = school.Tap(Ana, KioskLibrary);

        Assert.Equal(Outcome.Arrived, arrived.Outcome);
        Assert.Equal(ReasonCode.ArrivalRecorded, arrived.Reason);
        var arrival = Assert.Single(school.EventsOf<PassArrival>());
        Assert.Equal(TimeSpan.FromMinutes(3), arrival.TravelTime);
        var pass = school.Pass(granted);
        Assert.Equal(PassState.Completed, pass.State);
        Assert.Equal(TransitionCause.ArrivedOneWay, pass.EndCause);
        Assert.Equal(Tue(9, 13), pass.EndedAt);
        Assert.Equal(TimeSpan.FromMinutes(3), pass.Duration);
        Assert.False(pass.NeverArrived);
        Assert.Null(school.Building.OpenPassOf(Ana));
        Assert.Equal(0, school.Building.OutFrom(A101));
        Assert.Equal(0, school.Building.ActiveAt(Library));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void After_a_one_way_arrival_the_next_tap_does_not_touch_the_finished_pass()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, Library);
        school.Clock.Advance(TimeSpan.FromMinutes(3));
        school.Tap(Ana, KioskLibrary);
        school.Clock.Advance(TimeSpan.FromMinutes(20));

        var next = school.Tap(Ana, KioskLibrary);

        Assert.Equal(Outcome.Identified, next.Outcome);
        Assert.Null(next.Pass);
        Assert.Equal(Tue(9, 13), school.Pass(granted).EndedAt);
        Assert.Single(school.EventsOf<PassArrival>());
    }

    [Fact]
    public void A_tap_at_another_classrooms_kiosk_ends_the_pass_as_checked_in_elsewhere()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, RestroomA);
        school.Clock.Advance(TimeSpan.FromMinutes(5));

        var elsewhere = school.Tap(Ana, KioskB201);

        Assert.Equal(Outcome.Returned, elsewhere.Outcome);
        Assert.Equal(ReasonCode.CheckedInElsewhere, elsewhere.Reason);
        var pass = school.Pass(granted);
        Assert.Equal(PassState.Terminated, pass.State);
        Assert.Equal(TransitionCause.CheckedInElsewhere, pass.EndCause);
        Assert.Equal(Tue(9, 15), pass.EndedAt);
        Assert.Null(school.Building.OpenPassOf(Ana));
        Assert.Equal(0, school.Building.OutFrom(A101));
        Assert.Equal(0, school.Building.ActiveAt(RestroomA));
        Assert.Equal(new[] { "Pass ended", "Checked in here" }, elsewhere.StudentMessage.English);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_tap_at_a_second_kiosk_of_the_origin_room_is_a_return()
    {
        var door = new KioskId("kiosk-a101-door");
        var school = new TestSchool().At(9, 10);
        Assert.Equal(Outcome.Accepted, school.Configure((at, actor) => new SaveKiosk(new Kiosk(door, A101, KioskStatus.Approved), at, actor)).Outcome);
        var granted = school.Request(Ana, RestroomA);
        school.Clock.Advance(TimeSpan.FromMinutes(4));

        var back = school.Handle(new Tap(door, CardOf(Ana), school.Now, Actor.OfKiosk(door)));

        Assert.Equal(Outcome.Returned, back.Outcome);
        Assert.Equal(ReasonCode.PassReturned, back.Reason);
        Assert.Equal(PassState.Completed, school.Pass(granted).State);
        Assert.Equal(TransitionCause.Returned, school.Pass(granted).EndCause);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_return_replayed_after_an_outage_completes_the_pass_at_the_scans_original_time()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, RestroomA);
        school.At(9, 30);

        var back = school.TapScannedAt(Ana, KioskA101, Tue(9, 14));

        Assert.Equal(Outcome.Returned, back.Outcome);
        Assert.Equal(ReasonCode.PassReturned, back.Reason);
        Assert.Equal(TimeSpan.FromMinutes(4), back.Wait);
        var pass = school.Pass(granted);
        Assert.Equal(PassState.Completed, pass.State);
        Assert.Equal(Tue(9, 14), pass.EndedAt);
        Assert.Equal(TimeSpan.FromMinutes(4), pass.Duration);
        Assert.Null(school.Building.OpenPassOf(Ana));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_return_replayed_after_the_timer_flagged_the_pass_overdue_still_completes_at_the_scans_time()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, RestroomA);
        school.AdvanceTo(9, 30);
        Assert.True(school.Pass(granted).Overdue);

        school.TapScannedAt(Ana, KioskA101, Tue(9, 14));

        var pass = school.Pass(granted);
        Assert.Equal(PassState.Completed, pass.State);
        Assert.Equal(TransitionCause.Returned, pass.EndCause);
        Assert.Equal(Tue(9, 14), pass.EndedAt);
        Assert.Equal(TimeSpan.FromMinutes(4), pass.Duration);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_return_replayed_with_its_scan_time_completes_the_pass_when_the_student_came_back()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, RestroomA);
        school.At(9, 30);

        var back = school.Handle(new Tap(KioskA101, CardOf(Ana), school.Now, Actor.OfKiosk(KioskA101)) { ScannedAt = Tue(9, 14) });

        Assert.Equal(Outcome.Returned, back.Outcome);
        Assert.Equal(TimeSpan.FromMinutes(4), back.Wait);
        var pass = school.Pass(granted);
        Assert.Equal(PassState.Completed, pass.State);
        Assert.Equal(Tue(9, 14), pass.EndedAt);
        Assert.Equal(TimeSpan.FromMinutes(4), pass.Duration);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_return_replayed_after_an_outage_still_gives_the_head_of_the_line_its_full_claim_window()
    {
        var school = new TestSchool().At(9, 10);
        school.Request(Ana, RestroomA);
        var queued = school.Request(Dev, RestroomA);
        Assert.Equal(Outcome.Queued, queued.Outcome);
        school.At(9, 30);

        school.Handle(new Tap(KioskA101, CardOf(Ana), school.Now, Actor.OfKiosk(KioskA101)) { ScannedAt = Tue(9, 14) });
        school.Wait(TimeSpan.FromSeconds(30));

        // The place was freed at 9:14, but nobody could be told before 9:30: the claim window runs from the offer.
        Assert.Equal(PassState.Queued, school.Pass(queued).State);
        Assert.Equal(Tue(9, 31), school.Pass(queued).ClaimBy);
        var claimed = school.Tap(Dev, KioskA102);
        Assert.Equal(Outcome.Granted, claimed.Outcome);
        Assert.Equal(ReasonCode.QueueClaimed, claimed.Reason);
        school.AssertRebuildsIdentically();
    }
}
