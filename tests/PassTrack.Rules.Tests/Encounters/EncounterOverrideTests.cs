using PassTrack.Rules.Encounters;
using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Encounters;

/// <summary>Rule 10 and overrides: teachers cannot override encounter prevention; counselors and administrators can, with a comment.</summary>
public class EncounterOverrideTests
{
    private static readonly EncounterGroupId Group = new("grp-hallway-7");

    [Fact]
    public void A_teacher_may_not_override_encounter_prevention()
    {
        var school = WithDevOut();
        Assert.True(TeacherA101.Can(StaffPermissions.OverrideRules));
        Assert.False(TeacherA101.Can(StaffPermissions.OverrideEncounter));

        var decision = school.StaffRequest(TeacherA101, Ana, RestroomA, A101, new RuleOverride("She really needs to go", IncludingEncounterPrevention: true));

        Assert.Equal(Outcome.Refused, decision.Outcome);
        Assert.Equal(ReasonCode.NotPermitted, decision.Reason);
        Assert.Null(school.Building.OpenPassOf(Ana));
        Assert.DoesNotContain(school.EventsOf<PassCreated>(), e => e.Student == Ana);
    }

    [Fact]
    public void A_teachers_plain_override_does_not_set_aside_encounter_prevention()
    {
        var school = WithDevOut();

        var decision = school.StaffRequest(TeacherA101, Ana, RestroomA, A101, new RuleOverride("She really needs to go"));

        Assert.Equal(Outcome.Refused, decision.Outcome);
        Assert.Equal(ReasonCode.EncounterBlocked, decision.Reason);
        Assert.Contains("blocked by a building rule", decision.StaffExplanation, StringComparison.Ordinal);
        Assert.DoesNotContain("Dev", decision.StaffExplanation, StringComparison.Ordinal);
        Assert.Null(school.Building.OpenPassOf(Ana));
        var logged = Assert.Single(school.EventsOf<EncounterAttemptBlocked>());
        Assert.Equal(Ana, logged.Student);
        Assert.Equal(Dev, logged.OtherStudent);
        Assert.Equal(PassSource.Teacher, logged.Source);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void The_counselor_can_override_encounter_prevention_and_the_override_is_recorded()
    {
        var school = WithDevOut();

        var decision = school.StaffRequest(CounselorStaff, Ana, RestroomA, A101, new RuleOverride("Escorted by Ms. Ruiz", IncludingEncounterPrevention: true));

        Assert.Equal(Outcome.Granted, decision.Outcome);
        Assert.Equal(ReasonCode.StaffOverride, decision.Reason);
        var pass = school.Pass(decision);
        Assert.Equal(PassState.Active, pass.State);
        Assert.True(pass.Exemptions.HasFlag(Exemptions.EncounterOverride));
        Assert.True(pass.Exemptions.HasFlag(Exemptions.StaffOverride));
        Assert.Equal("Escorted by Ms. Ruiz", pass.OverrideComment);
        Assert.Equal(CounselorStaff, pass.CreatedBy);
        Assert.Empty(school.EventsOf<EncounterAttemptBlocked>());
        Assert.Equal(2, school.Building.ActivePasses.Count());
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void The_principal_can_override_encounter_prevention()
    {
        var school = WithDevOut();

        var decision = school.StaffRequest(Principal, Fay, RestroomB, B201, new RuleOverride("Called to the office, escorted", IncludingEncounterPrevention: true));

        Assert.Equal(Outcome.Granted, decision.Outcome);
        var pass = school.Pass(decision);
        Assert.True(pass.Exemptions.HasFlag(Exemptions.EncounterOverride));
        Assert.Equal("Called to the office, escorted", pass.OverrideComment);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void A_counselors_override_that_does_not_name_encounter_prevention_is_still_blocked()
    {
        var school = WithDevOut();

        var decision = school.StaffRequest(CounselorStaff, Ana, RestroomA, A101, new RuleOverride("Room is busy"));

        Assert.Equal(ReasonCode.EncounterBlocked, decision.Reason);
        Assert.Null(school.Building.OpenPassOf(Ana));
    }

    [Fact]
    public void An_encounter_override_still_needs_a_comment()
    {
        var school = WithDevOut();

        var decision = school.StaffRequest(CounselorStaff, Ana, RestroomA, A101, new RuleOverride(" ", IncludingEncounterPrevention: true));

        Assert.Equal(ReasonCode.OverrideCommentRequired, decision.Reason);
        Assert.Null(school.Building.OpenPassOf(Ana));
    }

    /// <summary>Ana, Dev and Fay are in one group; Dev is out.</summary>
    private static TestSchool WithDevOut()
    {
        var school = new TestSchool();
        var saved = school.Configure((at, by) => new SaveEncounterGroup(new EncounterGroup(Group, [Ana, Dev, Fay]), at, by));
        Assert.Equal(Outcome.Accepted, saved.Outcome);
        Assert.Equal(Outcome.Granted, school.Request(Dev, Water).Outcome);
        return school;
    }
}
