using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Routing;

/// <summary>Rule 5: a destination restricted for a student is refused to them, and a designated restroom is only for those it is designated to.</summary>
public class RestrictedDestinationTests
{
    [Fact]
    public void A_student_restricted_from_a_destination_is_refused_it()
    {
        var school = new TestSchool().At(9, 10);

        var decision = school.Request(Sofia, Library);

        Assert.Equal(Outcome.Refused, decision.Outcome);
        Assert.Equal(ReasonCode.RestrictedDestination, decision.Reason);
        Assert.Equal(Language.Spanish, decision.Language);
        Assert.Equal(new[] { "No disponible.", "Habla con tu", "maestro." }, decision.StudentMessage.Spanish);
        Assert.Equal("Refused: Library is restricted for Sofía Ramírez.", decision.StaffExplanation);
        Assert.Empty(school.EventsOf<PassCreated>());
        var refused = Assert.Single(school.EventsOf<RequestRefused>());
        Assert.Equal(ReasonCode.RestrictedDestination, refused.Reason);
        Assert.Equal(Library, refused.Destination);
        Assert.Null(school.Building.OpenPassOf(Sofia));
    }

    [Fact]
    public void A_restriction_covers_only_the_destinations_it_names()
    {
        var school = new TestSchool().At(9, 10);
        Assert.Equal(ReasonCode.RestrictedDestination, school.Request(Sofia, Library).Reason);

        var decision = school.Request(Sofia, RestroomB);

        Assert.Equal(Outcome.Granted, decision.Outcome);
        Assert.Equal(RestroomB, school.Pass(decision).Destination);
    }

    [Fact]
    public void A_restriction_holds_when_a_teacher_asks_on_the_students_behalf()
    {
        var school = new TestSchool().At(9, 10);

        var decision = school.StaffRequest(TeacherA101, Sofia, Library);

        Assert.Equal(ReasonCode.RestrictedDestination, decision.Reason);
        Assert.Empty(school.EventsOf<PassCreated>());
    }

    [Fact]
    public void Other_students_may_still_go_to_a_destination_one_student_is_restricted_from()
    {
        var school = new TestSchool().At(9, 10);

        Assert.Equal(Outcome.Granted, school.Request(Fay, Library).Outcome);
    }

    [Fact]
    public void A_restriction_saved_for_a_student_applies_to_their_next_request()
    {
        var school = new TestSchool().At(9, 10);
        var ben = school.Building.FindStudent(Ben)!;
        school.Configure((at, actor) => new SaveStudent(ben with { Profile = ben.Profile with { RestrictedDestinations = [Water] } }, at, actor));

        Assert.Equal(ReasonCode.RestrictedDestination, school.Request(Ben, Water).Reason);
        Assert.Equal(Outcome.Granted, school.Request(Ben, RestroomA).Outcome);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_designated_restroom_is_refused_to_a_student_not_designated_to_it()
    {
        var school = new TestSchool().At(9, 10);

        var decision = school.Request(Ana, RestroomHealth);

        Assert.Equal(Outcome.Refused, decision.Outcome);
        Assert.Equal(ReasonCode.RestrictedDestination, decision.Reason);
        Assert.Equal(0, school.Building.ActiveAt(RestroomHealth));
        Assert.Empty(school.EventsOf<PassCreated>());
    }

    [Fact]
    public void A_student_designated_to_a_restroom_may_ask_for_it_directly()
    {
        var school = new TestSchool().At(9, 10);

        var decision = school.Request(Noor, RestroomHealth);

        Assert.Equal(Outcome.Granted, decision.Outcome);
        Assert.Equal(ReasonCode.Ok, decision.Reason);
        Assert.Equal(RestroomHealth, school.Pass(decision).Destination);
        Assert.Equal(TimeSpan.FromMinutes(12), decision.TimeLimit);
    }
}
