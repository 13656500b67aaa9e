using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Identity;

/// <summary>Rule 2: a kiosk takes part only once it is approved and bound to a room.</summary>
public class KioskSetupTests
{
    [Theory]
    [InlineData(KioskStatus.Pending, true)]
    [InlineData(KioskStatus.Revoked, true)]
    [InlineData(KioskStatus.Approved, false)]
    public void A_kiosk_that_is_pending_revoked_or_unbound_refuses_every_tap(KioskStatus status, bool bound)
    {
        var school = new TestSchool().At(9, 10);
        var saved = school.Configure((at, actor) => new SaveKiosk(new Kiosk(KioskA101, bound ? A101 : null, status), at, actor));
        Assert.Equal(Outcome.Accepted, saved.Outcome);

        var decision = school.Tap(Ana, KioskA101);

        Assert.Equal(Outcome.Refused, decision.Outcome);
        Assert.Equal(ReasonCode.KioskNotBound, decision.Reason);
        Assert.Equal("This kiosk is not", decision.StudentMessage.English[0]);
        Assert.Equal(ReasonCode.KioskNotBound, Assert.Single(school.EventsOf<RequestRefused>()).Reason);
        Assert.Empty(school.EventsOf<PassCreated>());
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_kiosk_the_building_has_never_seen_refuses_taps()
    {
        var school = new TestSchool().At(9, 10);

        var decision = school.Tap(Ana, new KioskId("kiosk-in-a-box"));

        Assert.Equal(ReasonCode.KioskNotBound, decision.Reason);
        Assert.Null(decision.Student);
    }

    [Fact]
    public void A_student_who_is_out_cannot_return_through_a_revoked_kiosk()
    {
        var school = new TestSchool().At(9, 10);
        var granted = school.Request(Ana, RestroomA);
        school.Configure((at, actor) => new SaveKiosk(new Kiosk(KioskA101, A101, KioskStatus.Revoked), at, actor));

        var decision = school.Tap(Ana, KioskA101);

        Assert.Equal(ReasonCode.KioskNotBound, decision.Reason);
        Assert.Equal(PassState.Active, school.Pass(granted).State);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void Approving_a_pending_kiosk_brings_it_into_service()
    {
        var school = new TestSchool().At(9, 10);
        school.Configure((at, actor) => new SaveKiosk(new Kiosk(KioskA101, A101, KioskStatus.Pending), at, actor));
        Assert.Equal(ReasonCode.KioskNotBound, school.Tap(Ana, KioskA101).Reason);

        school.Configure((at, actor) => new SaveKiosk(new Kiosk(KioskA101, A101, KioskStatus.Approved), at, actor));
        var decision = school.Tap(Ana, KioskA101);

        Assert.Equal(Outcome.Identified, decision.Outcome);
        Assert.Equal(Ana, decision.Student);
        school.AssertRebuildsIdentically();
    }
}
