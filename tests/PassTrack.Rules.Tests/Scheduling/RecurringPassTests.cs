using PassTrack.Rules.Scheduling;
using static PassTrack.Rules.Tests.Scheduling.SchedulingSteps;
using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Scheduling;

public class RecurringPassTests
{
    private static readonly RecurringPassId Medication = new("ana-medication");

    private static RecurringPass DailyMedication(IReadOnlyList<DayOfWeek>? days = null) =>
        new(Medication, Ana, A101, Nurse, new TimeOnly(10, 30), days ?? [], Tuesday, Comment: "Daily medication");

    private static TestSchool WithDailyMedication(IReadOnlyList<DayOfWeek>? days = null)
    {
        var school = new TestSchool().At(9, 10);
        var saved = school.Handle(new SaveRecurringPass(DailyMedication(days), school.Now, TeacherA101));
        Assert.Equal(Outcome.Accepted, saved.Outcome);
        return school;
    }

    private static List<PassCreated> Issued(TestSchool school) =>
        school.EventsOf<PassCreated>().Where(c => c.Recurring == Medication).ToList();

    [Fact]
    public void A_daily_medication_pass_is_not_issued_before_its_time()
    {
        var school = WithDailyMedication();

        school.AdvanceTo(10, 29);

        Assert.Empty(Issued(school));
        Assert.Null(school.Building.OpenPassOf(Ana));
        Assert.Single(school.Building.RecurringPasses);
    }

    [Fact]
    public void A_daily_medication_pass_at_ten_thirty_starts_on_its_own()
    {
        var school = WithDailyMedication();

        school.AdvanceTo(10, 30);

        var created = Assert.Single(Issued(school));
        var pass = school.Pass(created.Pass);
        Assert.Equal(PassState.Active, pass.State);
        Assert.Equal(Nurse, pass.Destination);
        Assert.Equal(A101, pass.Origin);
        Assert.Equal(PassSource.Scheduled, pass.Source);
        Assert.Equal(Medication, pass.Recurring);
        Assert.Equal(Tue(10, 30), pass.ScheduledFor);
        Assert.Equal(Tue(10, 30), pass.StartedAt);
        Assert.True(pass.Exemptions.HasFlag(Exemptions.Scheduled));
        Assert.Equal(TransitionCause.ScheduledStart, school.TransitionsOf(pass.Id).Last().Cause);
        Assert.Equal("Daily medication", pass.Comment);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_recurring_pass_is_issued_once_a_school_day()
    {
        var school = WithDailyMedication();
        school.AdvanceTo(10, 30);
        school.At(10, 38);
        school.Tap(Ana, KioskA101);

        school.AdvanceTo(10, 45);
        school.AdvanceTo(11, 30);
        school.AdvanceTo(13, 0);

        var created = Assert.Single(Issued(school));
        Assert.Equal(PassState.Completed, school.Pass(created.Pass).State);
        Assert.Null(school.Building.OpenPassOf(Ana));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_recurring_pass_is_issued_again_the_next_school_day_but_not_on_saturday()
    {
        var school = WithDailyMedication();
        school.AdvanceTo(10, 30);
        school.At(10, 38);
        school.Tap(Ana, KioskA101);

        school.AdvanceTo(Wednesday, 10, 31);
        var wednesday = school.Building.OpenPassOf(Ana);
        var wednesdayState = wednesday?.State;
        school.At(10, 40);
        school.Tap(Ana, KioskA101);
        school.AdvanceTo(Saturday, 10, 31);
        school.AdvanceTo(Saturday, 12, 0);
        var onSaturday = Issued(school).Count;
        school.AdvanceTo(Monday, 10, 30);

        Assert.NotNull(wednesday);
        Assert.Equal(Medication, wednesday.Recurring);
        Assert.Equal(PassState.Active, wednesdayState);
        Assert.Equal(LocalToUtc(Wednesday, new TimeOnly(10, 30)), wednesday.ScheduledFor);
        Assert.Equal(LocalToUtc(Wednesday, new TimeOnly(10, 31)), wednesday.StartedAt);
        Assert.Equal(PassState.Completed, wednesday.State);
        Assert.Equal(2, onSaturday);
        var issued = Issued(school);
        Assert.Equal(3, issued.Count);
        var monday = school.Pass(issued[2].Pass);
        Assert.Equal(PassState.Active, monday.State);
        Assert.Equal(LocalToUtc(Monday, new TimeOnly(10, 30)), monday.StartedAt);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_recurring_pass_for_some_weekdays_is_not_issued_on_the_others()
    {
        var school = WithDailyMedication([DayOfWeek.Monday, DayOfWeek.Wednesday]);

        school.AdvanceTo(10, 31);
        var onTuesday = Issued(school).Count;
        school.AdvanceTo(Wednesday, 10, 31);

        Assert.Equal(0, onTuesday);
        var created = Assert.Single(Issued(school));
        Assert.Equal(PassState.Active, school.Pass(created.Pass).State);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Removing_a_recurring_pass_stops_it()
    {
        var school = WithDailyMedication();
        school.AdvanceTo(10, 30);
        school.At(10, 38);
        school.Tap(Ana, KioskA101);

        var removed = school.Handle(new RemoveRecurringPass(Medication, school.Now, TeacherA101));
        school.AdvanceTo(Wednesday, 10, 31);
        school.AdvanceTo(Wednesday, 11, 0);

        Assert.Equal(Outcome.Accepted, removed.Outcome);
        Assert.Empty(school.Building.RecurringPasses);
        Assert.Single(Issued(school));
        Assert.Null(school.Building.OpenPassOf(Ana));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_recurring_pass_removed_before_its_time_is_never_issued()
    {
        var school = WithDailyMedication();
        school.At(10, 0);

        school.Handle(new RemoveRecurringPass(Medication, school.Now, CounselorStaff));
        school.AdvanceTo(10, 31);

        Assert.Empty(Issued(school));
        Assert.Null(school.Building.OpenPassOf(Ana));
    }

    [Fact]
    public void A_student_cannot_save_or_remove_a_recurring_pass()
    {
        var school = WithDailyMedication();

        var save = school.Handle(new SaveRecurringPass(DailyMedication() with { Id = new RecurringPassId("other") }, school.Now, Actor.OfStudent(Ana)));
        var remove = school.Handle(new RemoveRecurringPass(Medication, school.Now, Actor.OfStudent(Ana)));

        Assert.Equal(ReasonCode.NotPermitted, save.Reason);
        Assert.Equal(ReasonCode.NotPermitted, remove.Reason);
        Assert.Equal(Medication, Assert.Single(school.Building.RecurringPasses).Id);
    }

    [Fact]
    public void A_recurring_pass_is_not_issued_on_a_day_the_calendar_marks_without_school()
    {
        var school = WithDailyMedication();
        var calendar = school.Building.Calendar;
        var holiday = calendar with { Overrides = new Dictionary<DateOnly, string?> { [Wednesday] = null } };
        Assert.Equal(Outcome.Accepted, school.Configure((at, actor) => new ChangeCalendar(holiday, at, actor)).Outcome);

        school.AdvanceTo(Wednesday, 10, 31);
        school.AdvanceTo(Wednesday, 12, 0);
        var onHoliday = Issued(school).Count;
        school.AdvanceTo(Tuesday.AddDays(2), 10, 31);

        Assert.Equal(0, onHoliday);
        var created = Assert.Single(Issued(school));
        Assert.Equal(LocalToUtc(Tuesday.AddDays(2), new TimeOnly(10, 30)), created.ScheduledFor);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_recurring_pass_missed_because_the_student_was_out_is_not_issued_again_that_day()
    {
        var school = WithDailyMedication().At(10, 25);
        var library = school.Request(Ana, Library);
        Assert.True(library.IsGranted);

        school.AdvanceTo(10, 30);
        school.AdvanceTo(10, 40);
        var outAtTheDeadline = school.Pass(library).State;
        school.At(10, 41);
        school.Tap(Ana, KioskA101);
        school.AdvanceTo(10, 50);
        school.AdvanceTo(11, 30);

        Assert.Equal(PassState.Active, outAtTheDeadline);
        Assert.Equal(PassState.Completed, school.Pass(library).State);
        var created = Assert.Single(Issued(school));
        var missed = school.Pass(created.Pass);
        Assert.Equal(PassState.Expired, missed.State);
        Assert.Equal(TransitionCause.ScheduledMissed, missed.EndCause);
        Assert.Null(school.Building.OpenPassOf(Ana));
        school.AssertRebuildsIdentically();
    }
}
