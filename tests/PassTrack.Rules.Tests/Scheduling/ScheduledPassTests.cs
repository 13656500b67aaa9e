using PassTrack.Rules.Encounters;
using PassTrack.Rules.Queues;
using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Scheduling;

public class ScheduledPassTests
{
    [Fact]
    public void A_teacher_schedules_a_pass_for_ten_and_it_stays_scheduled_until_then()
    {
        var school = new TestSchool().At(9, 10);

        var scheduled = school.Schedule(TeacherA101, Ana, Nurse, 10, 0);
        school.AdvanceTo(9, 30);
        school.AdvanceTo(9, 59);

        Assert.Equal(Outcome.Accepted, scheduled.Outcome);
        Assert.NotNull(scheduled.Pass);
        var pass = school.Pass(scheduled);
        Assert.Equal(PassState.Scheduled, pass.State);
        Assert.Equal(Tue(10, 0), pass.ScheduledFor);
        Assert.Equal(PassSource.Scheduled, pass.Source);
        Assert.Equal(TeacherA101, pass.CreatedBy);
        Assert.Null(pass.StartedAt);
        Assert.Equal(0, school.Building.ActiveAt(Nurse));
        Assert.Equal(0, school.Building.OutFrom(A101));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_scheduled_pass_starts_on_its_own_at_its_time()
    {
        var school = new TestSchool().At(9, 10);
        var scheduled = school.Schedule(TeacherA101, Ana, Nurse, 10, 0);

        school.AdvanceTo(10, 0);

        var pass = school.Pass(scheduled);
        Assert.Equal(PassState.Active, pass.State);
        Assert.Equal(Tue(10, 0), pass.StartedAt);
        Assert.Equal(TimeSpan.FromMinutes(15), pass.TimeLimit);
        Assert.True(pass.Exemptions.HasFlag(Exemptions.Scheduled));
        var start = school.TransitionsOf(scheduled.Pass).Last();
        Assert.Equal(PassState.Scheduled, start.From);
        Assert.Equal(PassState.Active, start.To);
        Assert.Equal(TransitionCause.ScheduledStart, start.Cause);
        Assert.Equal(Actor.System, start.Actor);
        Assert.Equal(pass.Id, school.Building.OpenPassOf(Ana)?.Id);
        Assert.Equal(1, school.Building.ActiveAt(Nurse));
        Assert.Equal(1, school.Building.OutFrom(A101));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_scheduled_pass_starts_at_the_first_timer_tick_after_its_time()
    {
        var school = new TestSchool().At(9, 10);
        var scheduled = school.Schedule(TeacherA101, Ana, Nurse, 10, 0);
        school.AdvanceTo(9, 58);

        school.Wait(TimeSpan.FromMinutes(3));

        var pass = school.Pass(scheduled);
        Assert.Equal(PassState.Active, pass.State);
        Assert.Equal(Tue(10, 1), pass.StartedAt);
        Assert.Equal(TransitionCause.ScheduledStart, school.TransitionsOf(scheduled.Pass).Last().Cause);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_pass_scheduled_by_the_counselor_starts_even_inside_a_period_buffer()
    {
        var school = new TestSchool().At(9, 10);
        var scheduled = school.Schedule(CounselorStaff, Ben, Office, 9, 52);
        Assert.Equal(Outcome.Accepted, scheduled.Outcome);

        school.AdvanceTo(9, 52);
        var walkIn = school.Request(Carla, Office);

        Assert.Equal(ReasonCode.PeriodStartBuffer, walkIn.Reason);
        var pass = school.Pass(scheduled);
        Assert.Equal(PassState.Active, pass.State);
        Assert.Equal(Tue(9, 52), pass.StartedAt);
        Assert.Equal(CounselorStaff, pass.CreatedBy);
        Assert.True(pass.Exemptions.HasFlag(Exemptions.Scheduled));
        Assert.Equal(TransitionCause.ScheduledStart, school.TransitionsOf(scheduled.Pass).Last().Cause);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_student_cannot_schedule_a_pass()
    {
        var school = new TestSchool().At(9, 10);

        var refused = school.Schedule(Actor.OfStudent(Ana), Ana, Nurse, 10, 0);

        Assert.Equal(Outcome.Refused, refused.Outcome);
        Assert.Equal(ReasonCode.NotPermitted, refused.Reason);
        Assert.Empty(school.EventsOf<PassCreated>());
    }

    [Fact]
    public void A_scheduled_pass_waits_while_the_student_is_already_out()
    {
        var school = new TestSchool().At(9, 10);
        var scheduled = school.Schedule(TeacherA101, Ana, Nurse, 10, 15);
        school.At(10, 10);
        var restroom = school.Request(Ana, RestroomA);
        Assert.Equal(Outcome.Granted, restroom.Outcome);

        school.AdvanceTo(10, 15);
        school.AdvanceTo(10, 24);

        Assert.Equal(PassState.Scheduled, school.Pass(scheduled).State);
        Assert.Equal(PassState.Active, school.Pass(restroom).State);
        Assert.Equal(restroom.Pass, school.Building.OpenPassOf(Ana)?.Id);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_scheduled_pass_that_cannot_start_within_its_window_expires_as_missed()
    {
        var school = new TestSchool().At(9, 10);
        var scheduled = school.Schedule(TeacherA101, Ana, Nurse, 10, 15);
        school.At(10, 10);
        var restroom = school.Request(Ana, RestroomA);
        school.AdvanceTo(10, 15);
        Assert.Equal(TimeSpan.FromMinutes(10), school.Building.Policy.ScheduledStartWindow);

        school.AdvanceTo(10, 25);

        var pass = school.Pass(scheduled);
        Assert.Equal(PassState.Expired, pass.State);
        Assert.Equal(TransitionCause.ScheduledMissed, pass.EndCause);
        Assert.Equal(Tue(10, 25), pass.EndedAt);
        Assert.Null(pass.StartedAt);
        Assert.Equal(PassState.Active, school.Pass(restroom).State);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_scheduled_pass_that_waited_starts_once_the_student_is_back_within_its_window()
    {
        var school = new TestSchool().At(9, 10);
        var scheduled = school.Schedule(TeacherA101, Ana, Nurse, 10, 15);
        school.At(10, 10);
        var restroom = school.Request(Ana, RestroomA);
        school.AdvanceTo(10, 15);
        school.At(10, 20);
        school.Tap(Ana, KioskA101);

        school.AdvanceTo(10, 21);

        Assert.Equal(PassState.Completed, school.Pass(restroom).State);
        var pass = school.Pass(scheduled);
        Assert.Equal(PassState.Active, pass.State);
        Assert.Equal(Tue(10, 21), pass.StartedAt);
        Assert.Equal(TransitionCause.ScheduledStart, school.TransitionsOf(scheduled.Pass).Last().Cause);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_scheduled_pass_to_a_full_destination_joins_its_line()
    {
        var school = new TestSchool().At(9, 10);
        var scheduled = school.Schedule(TeacherA101, Ana, Nurse, 10, 5);
        school.At(10, 2);
        var dev = school.Request(Dev, Nurse);
        var fay = school.Request(Fay, Nurse);
        Assert.True(dev.IsGranted && fay.IsGranted);

        school.AdvanceTo(10, 5);

        var pass = school.Pass(scheduled);
        Assert.Equal(PassState.Queued, pass.State);
        var queued = school.TransitionsOf(scheduled.Pass).Last();
        Assert.Equal(PassState.Queued, queued.To);
        Assert.Equal(ReasonCode.DestinationFull, queued.Reason);
        Assert.Equal(new[] { pass.Id }, school.Building.QueueOf(Nurse));
        Assert.Equal(2, school.Building.ActiveAt(Nurse));
        Assert.Equal(pass.Id, school.Building.OpenPassOf(Ana)?.Id);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_queued_scheduled_pass_is_offered_the_first_place_that_frees()
    {
        var school = new TestSchool().At(9, 10);
        var scheduled = school.Schedule(TeacherA101, Ana, Nurse, 10, 5);
        school.At(10, 2);
        school.Request(Dev, Nurse);
        school.Request(Fay, Nurse);
        school.AdvanceTo(10, 5);
        school.At(10, 8);

        school.Tap(Dev, KioskA102);
        var offer = Assert.Single(school.EventsOf<QueueOfferMade>());
        school.At(10, 8);
        var claimed = school.Tap(Ana, KioskA101);

        Assert.Equal(scheduled.Pass, offer.Pass);
        Assert.Equal(Outcome.Granted, claimed.Outcome);
        Assert.Equal(ReasonCode.QueueClaimed, claimed.Reason);
        Assert.Equal(PassState.Active, school.Pass(scheduled).State);
        Assert.Equal(2, school.Building.ActiveAt(Nurse));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_scheduled_pass_for_a_student_exempt_from_capacity_starts_even_when_the_destination_is_full()
    {
        var school = new TestSchool().At(9, 10);
        var scheduled = school.Schedule(TeacherA101, Mia, Nurse, 10, 5);
        school.At(10, 2);
        Assert.True(school.Request(Dev, Nurse).IsGranted);
        Assert.True(school.Request(Fay, Nurse).IsGranted);

        school.AdvanceTo(10, 5);

        var pass = school.Pass(scheduled);
        Assert.Equal(PassState.Active, pass.State);
        Assert.Equal(3, school.Building.ActiveAt(Nurse));
        Assert.Empty(school.Building.QueueOf(Nurse));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_scheduled_pass_waits_while_an_encounter_group_member_is_out_and_logs_the_block_once()
    {
        var school = new TestSchool(c => c with { EncounterGroups = [new EncounterGroup(new EncounterGroupId("ana-dev"), [Ana, Dev])] }).At(9, 10);
        var scheduled = school.Schedule(TeacherA101, Ana, Nurse, 10, 15);
        school.At(10, 12);
        Assert.True(school.Request(Dev, RestroomA).IsGranted);

        school.AdvanceTo(10, 15);
        school.AdvanceTo(10, 16);
        school.AdvanceTo(10, 17);
        var whileBlocked = school.Pass(scheduled).State;
        school.At(10, 18);
        school.Tap(Dev, KioskA102);
        school.AdvanceTo(10, 19);

        Assert.Equal(PassState.Scheduled, whileBlocked);
        var attempt = Assert.Single(school.EventsOf<EncounterAttemptBlocked>());
        Assert.Equal(scheduled.Pass, attempt.Pass);
        Assert.Equal(Dev, attempt.OtherStudent);
        Assert.Equal(PassState.Active, school.Pass(scheduled).State);
        Assert.Equal(Tue(10, 19), school.Pass(scheduled).StartedAt);
        school.AssertRebuildsIdentically();
    }
}
