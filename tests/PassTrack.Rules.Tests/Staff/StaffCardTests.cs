using PassTrack.Rules.Emergencies;
using PassTrack.Rules.Staff;
using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Staff;

/// <summary>Staff cards at kiosks: who they identify, and the card enrolment a teacher can do with one.</summary>
public class StaffCardTests
{
    private static readonly Credential AlvarezCard = new(CredentialKind.Card, "05AA000000A101");
    private static readonly Credential SubCard = new(CredentialKind.Card, "05AA0000005B00");
    private static readonly Credential NewCard = new(CredentialKind.Card, "0411223344556677");

    private static TestSchool WithStaff() => new TestSchool(c => c with
    {
        Staff =
        [
            new StaffMember(new StaffId("t-a101"), "Ms. Alvarez", StaffPermissions.Teacher, [AlvarezCard]),
            new StaffMember(new StaffId("s-sub"), "Sub", StaffPermissions.CreatePasses, [SubCard]),
        ],
    }).At(9, 10);

    private static Decision TapCard(TestSchool school, Credential card, KioskId? kiosk = null) =>
        school.Handle(new Tap(kiosk ?? KioskA101, card, school.Now, Actor.OfKiosk(kiosk ?? KioskA101)));

    private static Decision Enrol(TestSchool school, string studentNumber, Credential card, StaffId by)
    {
        var staff = school.Building.FindStaff(by) ?? throw new InvalidOperationException($"No staff {by}.");
        return school.Handle(new EnrolCard(new Credential(CredentialKind.StudentNumber, studentNumber), card, school.Now, staff.AsActor()));
    }

    [Fact]
    public void A_staff_card_identifies_the_staff_member_and_changes_nothing()
    {
        var school = WithStaff();

        var decision = TapCard(school, AlvarezCard);

        Assert.Equal(Outcome.StaffIdentified, decision.Outcome);
        Assert.Equal(new StaffId("t-a101"), decision.Staff);
        Assert.Equal(StaffPermissions.Teacher, decision.StaffPermissions);
        Assert.Null(decision.Student);
        Assert.Equal(["Hello Ms. Alvarez", "Staff actions"], decision.StudentMessage.English);
        Assert.Empty(school.Events);
    }

    [Fact]
    public void A_staff_card_still_works_during_a_lockdown()
    {
        var school = WithStaff();
        school.Lockdown();

        var decision = TapCard(school, AlvarezCard);

        Assert.Equal(Outcome.StaffIdentified, decision.Outcome);
        var staff = school.Building.FindStaff(decision.Staff!.Value)!;
        Assert.Equal(Outcome.Accepted, school.ClearEmergency(staff.AsActor()).Outcome);
        Assert.Single(school.EventsOf<EmergencyCleared>());
    }

    [Fact]
    public void The_card_of_a_staff_member_who_left_is_not_recognised()
    {
        var school = WithStaff();
        var alvarez = school.Building.FindStaff(new StaffId("t-a101"))!;
        Assert.Equal(Outcome.Accepted, school.Configure((at, actor) => new SaveStaffMember(alvarez with { Active = false }, at, actor)).Outcome);

        var decision = TapCard(school, AlvarezCard);

        Assert.Equal(Outcome.Refused, decision.Outcome);
        Assert.Equal(ReasonCode.UnknownCredential, decision.Reason);
    }

    [Fact]
    public void A_typed_number_never_opens_staff_actions()
    {
        var school = WithStaff();
        var member = new StaffMember(new StaffId("t-x"), "X", StaffPermissions.Teacher, [new Credential(CredentialKind.StudentNumber, "1234")]);

        var decision = school.Configure((at, actor) => new SaveStaffMember(member, at, actor));

        Assert.Equal(ReasonCode.InvalidConfiguration, decision.Reason);
        Assert.Null(school.Building.FindStaff(new StaffId("t-x")));
    }

    [Fact]
    public void A_card_is_a_student_or_a_staff_member_never_both()
    {
        var school = WithStaff();
        var clash = new StaffMember(new StaffId("t-y"), "Y", StaffPermissions.Teacher, [CardOf(Ana)]);

        Assert.Equal(ReasonCode.CredentialInUse, school.Configure((at, actor) => new SaveStaffMember(clash, at, actor)).Reason);
        var ana = school.Building.FindStudent(Ana)!;
        var withStaffCard = ana with { Credentials = [.. ana.Credentials, AlvarezCard] };
        Assert.Equal(Outcome.Refused, school.Configure((at, actor) => new SaveStudent(withStaffCard, at, actor)).Outcome);
    }

    [Fact]
    public void Enrolling_a_card_replaces_the_students_old_card()
    {
        var school = WithStaff();

        var decision = Enrol(school, "N-ana", NewCard, new StaffId("t-a101"));

        Assert.Equal(Outcome.Accepted, decision.Outcome);
        Assert.Equal(ReasonCode.CardEnrolled, decision.Reason);
        Assert.Equal(["Card enrolled to", "Ana García"], decision.StudentMessage.English.Take(2));
        var enrolled = Assert.Single(school.EventsOf<CardEnrolled>());
        Assert.Equal(Ana, enrolled.Student);
        Assert.Equal([CardOf(Ana)], enrolled.Replaced);
        Assert.Equal("t-a101", enrolled.Actor.Id);
        // The new card is Ana's; the lost one no longer is, and her number still works.
        Assert.Equal(Ana, school.Building.FindStudent(NewCard)?.Id);
        Assert.Null(school.Building.FindStudent(CardOf(Ana)));
        Assert.Equal(Outcome.Identified, TapCard(school, NewCard).Outcome);
        Assert.Equal(ReasonCode.UnknownCredential, TapCard(school, CardOf(Ana)).Reason);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Enrolling_the_same_card_again_changes_nothing()
    {
        var school = WithStaff();
        Enrol(school, "N-ana", NewCard, new StaffId("t-a101"));

        var again = Enrol(school, "N-ana", NewCard, new StaffId("t-a101"));

        Assert.Equal(ReasonCode.CardEnrolled, again.Reason);
        Assert.Single(school.EventsOf<CardEnrolled>());
    }

    [Fact]
    public void A_card_held_by_another_student_or_staff_member_is_not_taken_from_them()
    {
        var school = WithStaff();

        Assert.Equal(ReasonCode.CredentialInUse, Enrol(school, "N-ana", CardOf(Ben), new StaffId("t-a101")).Reason);
        Assert.Equal(ReasonCode.CredentialInUse, Enrol(school, "N-ana", SubCard, new StaffId("t-a101")).Reason);
        Assert.Empty(school.EventsOf<CardEnrolled>());
        Assert.Equal(Ben, school.Building.FindStudent(CardOf(Ben))?.Id);
    }

    [Fact]
    public void Only_staff_allowed_to_enrol_cards_can_and_only_to_a_known_student()
    {
        var school = WithStaff();

        Assert.Equal(ReasonCode.NotPermitted, Enrol(school, "N-ana", NewCard, new StaffId("s-sub")).Reason);
        Assert.Equal(ReasonCode.NotPermitted, school.Handle(new EnrolCard(new Credential(CredentialKind.StudentNumber, "N-ana"), NewCard, school.Now, Actor.OfKiosk(KioskA101))).Reason);
        Assert.Equal(ReasonCode.UnknownCredential, Enrol(school, "N-nobody", NewCard, new StaffId("t-a101")).Reason);
        Assert.Empty(school.EventsOf<CardEnrolled>());
    }
}
