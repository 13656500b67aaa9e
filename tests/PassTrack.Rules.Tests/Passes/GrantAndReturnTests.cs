using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Passes;

public class GrantAndReturnTests
{
    [Fact]
    public void A_student_in_class_gets_a_pass_with_the_destinations_time_limit()
    {
        var school = new TestSchool().At(9, 10);

        var decision = school.Request(Ana, RestroomA);

        Assert.Equal(Outcome.Granted, decision.Outcome);
        Assert.Equal(ReasonCode.Ok, decision.Reason);
        Assert.Equal(TimeSpan.FromMinutes(8), decision.TimeLimit);
        var pass = school.Pass(decision);
        Assert.Equal(PassState.Active, pass.State);
        Assert.Equal(school.Now, pass.StartedAt);
        Assert.Equal(1, school.Building.OutFrom(A101));
        Assert.Equal(new[] { "Pass granted", "Restroom A", "8 minutes" }, decision.StudentMessage.English);
        Assert.Equal(new[] { "Pase concedido", "Baño A", "8 minutos" }, decision.StudentMessage.Spanish);
        Assert.Contains("Ana García", decision.StaffExplanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Tapping_at_the_origin_kiosk_while_out_completes_the_pass_with_its_duration()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, RestroomA);

        school.Clock.Advance(TimeSpan.FromMinutes(4) + TimeSpan.FromSeconds(23));
        var back = school.Tap(Ana, KioskA101);

        Assert.Equal(Outcome.Returned, back.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(263), back.Wait);
        Assert.Equal(new[] { "Welcome back", "Out 4:23" }, back.StudentMessage.English);
        var pass = school.Pass(granted);
        Assert.Equal(PassState.Completed, pass.State);
        Assert.Equal(TransitionCause.Returned, pass.EndCause);
        Assert.Null(school.Building.OpenPassOf(Ana));
        Assert.Equal(0, school.Building.OutFrom(A101));
        school.AssertRebuildsIdentically();
    }
}
