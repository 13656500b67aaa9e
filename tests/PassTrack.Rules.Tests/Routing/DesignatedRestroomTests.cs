using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Routing;

/// <summary>Rule 5: a request for a restroom is routed to the student's designated one, and reported as such.</summary>
public class DesignatedRestroomTests
{
    [Fact]
    public void A_student_with_a_designated_restroom_asking_for_another_is_sent_to_theirs()
    {
        var school = new TestSchool().At(9, 10);

        var decision = school.Request(Noor, RestroomB);

        Assert.Equal(Outcome.Granted, decision.Outcome);
        Assert.Equal(ReasonCode.RoutedToDesignatedRestroom, decision.Reason);
        Assert.Equal(RestroomHealth, decision.Destination);
        Assert.Equal(TimeSpan.FromMinutes(12), decision.TimeLimit);
        Assert.Equal(new[] { "Pass granted", "Go to:", "Health Restroom", "12 minutes" }, decision.StudentMessage.English);
        Assert.Equal(new[] { "Pase concedido", "Ve a:", "Baño de Salud", "12 minutos" }, decision.StudentMessage.Spanish);
        Assert.Equal("Noor Haddad was granted a pass to Health Restroom (their designated restroom) for 12 min.", decision.StaffExplanation);

        var pass = school.Pass(decision);
        Assert.Equal(PassState.Active, pass.State);
        Assert.Equal(RestroomB, pass.Requested);
        Assert.Equal(RestroomHealth, pass.Destination);
        Assert.Equal(ReasonCode.RoutedToDesignatedRestroom, pass.Routing);
        Assert.Equal(1, school.Building.ActiveAt(RestroomHealth));
        Assert.Equal(0, school.Building.ActiveAt(RestroomB));
        var created = Assert.Single(school.EventsOf<PassCreated>());
        Assert.Equal(RestroomB, created.Requested);
        Assert.Equal(RestroomHealth, created.Destination);
        Assert.Equal(ReasonCode.RoutedToDesignatedRestroom, created.Routing);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Any_restroom_a_designated_student_asks_for_leads_to_their_designated_one()
    {
        var school = new TestSchool().At(9, 10);

        var decision = school.Request(Noor, RestroomA);

        Assert.Equal(ReasonCode.RoutedToDesignatedRestroom, decision.Reason);
        Assert.Equal(RestroomHealth, school.Pass(decision).Destination);
    }

    [Fact]
    public void Routing_applies_only_to_restrooms()
    {
        var school = new TestSchool().At(9, 10);

        var decision = school.Request(Noor, Water);

        Assert.Equal(Outcome.Granted, decision.Outcome);
        Assert.Equal(ReasonCode.Ok, decision.Reason);
        Assert.Equal(Water, school.Pass(decision).Destination);
    }

    [Fact]
    public void A_student_without_a_designated_restroom_goes_where_they_asked()
    {
        var school = new TestSchool().At(9, 10);

        var decision = school.Request(Fay, RestroomB);

        Assert.Equal(ReasonCode.Ok, decision.Reason);
        Assert.Equal(RestroomB, school.Pass(decision).Destination);
        Assert.Equal(RestroomB, school.Pass(decision).Requested);
    }

    [Fact]
    public void A_routed_student_waits_in_the_designated_restrooms_line_when_it_is_full()
    {
        // The health restroom holds one; a second designated student queues there, not at the restroom asked for.
        var school = new TestSchool().At(9, 10);
        var fay = school.Building.FindStudent(Fay)!;
        school.Configure((at, actor) => new SaveStudent(fay with { Profile = fay.Profile with { DesignatedRestrooms = [RestroomHealth] } }, at, actor));
        Assert.Equal(Outcome.Granted, school.Request(Noor, RestroomB).Outcome);

        var decision = school.Request(Fay, RestroomB);

        Assert.Equal(Outcome.Queued, decision.Outcome);
        Assert.Equal(RestroomHealth, decision.Destination);
        Assert.Equal(1, decision.QueuePosition);
        Assert.Equal(new[] { decision.Pass!.Value }, school.Building.QueueOf(RestroomHealth));
        Assert.Empty(school.Building.QueueOf(RestroomB));
        school.AssertRebuildsIdentically();
    }
}
