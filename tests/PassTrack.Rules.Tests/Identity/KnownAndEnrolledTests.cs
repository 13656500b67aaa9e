using PassTrack.Rules.Tests.Calendar;
using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Identity;

/// <summary>Rule 2: only a known, enrolled student at a kiosk that is set up gets anywhere.</summary>
public class KnownAndEnrolledTests
{
    [Fact]
    public void A_card_nobody_holds_is_refused_as_an_unknown_credential()
    {
        var school = new TestSchool().At(9, 10);

        var decision = school.Handle(new Tap(KioskA101, new Credential(CredentialKind.Card, "04A1B2C3D4"), school.Now, Actor.OfKiosk(KioskA101)));

        Assert.Equal(Outcome.Refused, decision.Outcome);
        Assert.Equal(ReasonCode.UnknownCredential, decision.Reason);
        Assert.Null(decision.Student);
        Assert.Equal(new[] { "Card not recognized.", "Please see your", "teacher." }, decision.StudentMessage.English);
        var refused = Assert.Single(school.EventsOf<RequestRefused>());
        Assert.Equal(ReasonCode.UnknownCredential, refused.Reason);
        Assert.Null(refused.Student);
        Assert.Equal(A101, refused.Origin);
        Assert.Empty(school.EventsOf<PassCreated>());
    }

    [Fact]
    public void A_student_number_of_the_wrong_kind_is_not_a_card()
    {
        // Ana's card value typed as a student number is not one of her credentials.
        var school = new TestSchool().At(9, 10);

        var decision = school.Handle(new Tap(KioskA101, new Credential(CredentialKind.StudentNumber, CardOf(Ana).Value), school.Now, Actor.OfKiosk(KioskA101)));

        Assert.Equal(ReasonCode.UnknownCredential, decision.Reason);
        Assert.Null(decision.Student);
    }

    [Fact]
    public void Any_of_a_students_credentials_identifies_them()
    {
        var school = new TestSchool().At(9, 10);

        var byCard = school.Tap(Ana, KioskA101);
        var byNumber = school.Handle(new Tap(KioskA101, new Credential(CredentialKind.StudentNumber, "N-ana"), school.Now, Actor.OfKiosk(KioskA101)));

        Assert.Equal(Outcome.Identified, byCard.Outcome);
        Assert.Equal(Ana, byCard.Student);
        Assert.Equal(Outcome.Identified, byNumber.Outcome);
        Assert.Equal(Ana, byNumber.Student);
    }

    [Fact]
    public void A_tap_by_a_student_with_no_open_pass_identifies_them_and_changes_nothing()
    {
        var school = new TestSchool().At(9, 10);

        var decision = school.Tap(Ana, KioskA101);

        Assert.Equal(Outcome.Identified, decision.Outcome);
        Assert.Equal(ReasonCode.Ok, decision.Reason);
        Assert.Equal(Ana, decision.Student);
        Assert.Null(decision.Pass);
        Assert.Equal(new[] { "Hi Ana", "Choose where", "you are going" }, decision.StudentMessage.English);
        Assert.Equal("Ana García identified at Room A101.", decision.StaffExplanation);
        Assert.Empty(school.Events);
        Assert.Null(school.Building.OpenPassOf(Ana));
    }

    [Fact]
    public void A_Spanish_speaking_student_is_greeted_in_Spanish()
    {
        var school = new TestSchool().At(9, 10);

        var decision = school.Tap(Sofia, KioskB201);

        Assert.Equal(Outcome.Identified, decision.Outcome);
        Assert.Equal(Language.Spanish, decision.Language);
        Assert.Equal("Hola Sofía", decision.StudentMessage.In(decision.Language)[0]);
    }

    [Fact]
    public void A_student_no_longer_enrolled_is_refused_at_the_kiosk_and_when_a_teacher_asks()
    {
        var school = new TestSchool().At(9, 10);
        var ben = school.Building.FindStudent(Ben)!;
        var saved = school.Configure((at, actor) => new SaveStudent(ben with { Enrolled = false }, at, actor));
        Assert.Equal(Outcome.Accepted, saved.Outcome);

        var tap = school.Tap(Ben, KioskA101);
        var request = school.Request(Ben, RestroomA);
        var teacher = school.StaffRequest(TeacherA101, Ben, Nurse);

        Assert.Equal(Outcome.Refused, tap.Outcome);
        Assert.Equal(ReasonCode.StudentNotEnrolled, tap.Reason);
        Assert.Equal("Not enrolled here.", tap.StudentMessage.English[0]);
        Assert.Equal(ReasonCode.StudentNotEnrolled, request.Reason);
        Assert.Equal(Outcome.Refused, request.Outcome);
        Assert.Equal(ReasonCode.StudentNotEnrolled, teacher.Reason);
        Assert.Empty(school.EventsOf<PassCreated>());
        Assert.Equal(3, school.EventsOf<RequestRefused>().Count(r => r.Reason == ReasonCode.StudentNotEnrolled && r.Student == Ben));
        Assert.Null(school.Building.OpenPassOf(Ben));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Re_enrolling_a_student_lets_them_ask_again()
    {
        var school = new TestSchool().At(9, 10);
        var ben = school.Building.FindStudent(Ben)!;
        school.Configure((at, actor) => new SaveStudent(ben with { Enrolled = false }, at, actor));
        Assert.Equal(ReasonCode.StudentNotEnrolled, school.Request(Ben, RestroomA).Reason);

        school.Configure((at, actor) => new SaveStudent(ben with { Enrolled = true }, at, actor));
        var decision = school.Request(Ben, RestroomA);

        Assert.Equal(Outcome.Granted, decision.Outcome);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_request_for_a_student_the_building_does_not_know_is_refused()
    {
        var school = new TestSchool().At(9, 10);
        var stranger = new StudentId("stranger");

        var decision = school.Handle(new RequestPass(stranger, A101, RestroomA, PassSource.Kiosk, school.Now, Actor.OfStudent(stranger)));

        Assert.Equal(Outcome.Refused, decision.Outcome);
        Assert.Equal(ReasonCode.StudentNotEnrolled, decision.Reason);
        Assert.Empty(school.EventsOf<PassCreated>());
        Assert.Null(school.Building.OpenPassOf(stranger));
    }

    [Fact]
    public void Being_unenrolled_is_checked_before_the_calendar()
    {
        // 8:56 is inside the start buffer; the student's enrolment is the answer that matters.
        var school = SchoolAt.Tuesday(8, 56);
        var ben = school.Building.FindStudent(Ben)!;
        school.Configure((at, actor) => new SaveStudent(ben with { Enrolled = false }, at, actor));

        Assert.Equal(ReasonCode.StudentNotEnrolled, school.Request(Ben, RestroomA).Reason);
        Assert.Equal(ReasonCode.StudentNotEnrolled, school.Tap(Ben, KioskA101).Reason);
    }
}
