using static PassTrack.Rules.Tests.TestSchool;

// The folder name the team chose is a Visual Basic keyword; nobody consumes test namespaces from Visual Basic.
#pragma warning disable CA1716
namespace PassTrack.Rules.Tests.Overrides;
#pragma warning restore CA1716

/// <summary>
/// Staff with the right role can override steps 3 to 11 with a comment, which is recorded. Emergencies (1), who is
/// asking and whether they are already out (2) and approvals (12) still apply.
/// </summary>
public class StaffOverrideTests
{
    private const string Comment = "Medical need, cleared with the nurse";

    [Fact]
    public void An_override_needs_the_override_permission()
    {
        var school = new TestSchool();
        Assert.True(Substitute.Can(StaffPermissions.CreatePasses));
        Assert.False(Substitute.Can(StaffPermissions.OverrideRules));

        var decision = school.StaffRequest(Substitute, Ana, RestroomA, A101, new RuleOverride(Comment));

        Assert.Equal(Outcome.Refused, decision.Outcome);
        Assert.Equal(ReasonCode.NotPermitted, decision.Reason);
        Assert.Null(school.Building.OpenPassOf(Ana));
        Assert.Empty(school.EventsOf<PassCreated>());
    }

    [Fact]
    public void Without_an_override_the_substitute_may_still_create_an_ordinary_pass()
    {
        var school = new TestSchool();

        var decision = school.StaffRequest(Substitute, Ana, RestroomA, A101);

        Assert.Equal(Outcome.Granted, decision.Outcome);
        Assert.Equal(Substitute, school.Pass(decision).CreatedBy);
        Assert.Equal(Exemptions.None, school.Pass(decision).Exemptions);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_override_needs_a_comment(string comment)
    {
        var school = new TestSchool();
        Assert.Equal(Outcome.Granted, school.Request(Ben, RestroomA).Outcome);
        Assert.Equal(Outcome.Granted, school.Request(Carla, Water).Outcome);

        var decision = school.StaffRequest(TeacherA101, Ana, Library, A101, new RuleOverride(comment));

        Assert.Equal(Outcome.Refused, decision.Outcome);
        Assert.Equal(ReasonCode.OverrideCommentRequired, decision.Reason);
        Assert.Null(school.Building.OpenPassOf(Ana));
        Assert.DoesNotContain(school.EventsOf<PassCreated>(), e => e.Student == Ana);
    }

    [Fact]
    public void A_staff_created_pass_needs_the_create_passes_permission()
    {
        var school = new TestSchool();
        var aide = Actor.Staff("s-aide", "Aide", StaffPermissions.ApprovePasses);

        var decision = school.StaffRequest(aide, Ana, RestroomA, A101);

        Assert.Equal(Outcome.Refused, decision.Outcome);
        Assert.Equal(ReasonCode.NotPermitted, decision.Reason);
        Assert.Null(school.Building.OpenPassOf(Ana));
        Assert.Empty(school.EventsOf<PassCreated>());
    }

    [Fact]
    public void A_student_cannot_pose_as_a_teacher_to_create_a_pass()
    {
        var school = new TestSchool();

        var decision = school.Handle(new RequestPass(Ana, A101, RestroomA, PassSource.Teacher, school.Now, Actor.OfStudent(Ana)));

        Assert.Equal(ReasonCode.NotPermitted, decision.Reason);
        Assert.Null(school.Building.OpenPassOf(Ana));
    }

    [Fact]
    public void An_override_sets_aside_the_room_out_limit_and_records_the_comment()
    {
        var school = new TestSchool();
        Assert.Equal(Outcome.Granted, school.Request(Ben, RestroomA).Outcome);
        Assert.Equal(Outcome.Granted, school.Request(Carla, Water).Outcome);
        Assert.Equal(ReasonCode.RoomOutLimit, school.StaffRequest(TeacherA101, Ana, Library).Reason);

        var decision = school.StaffRequest(TeacherA101, Ana, Library, A101, new RuleOverride(Comment));

        Assert.Equal(Outcome.Granted, decision.Outcome);
        Assert.Equal(ReasonCode.StaffOverride, decision.Reason);
        var pass = school.Pass(decision);
        Assert.Equal(PassState.Active, pass.State);
        Assert.True(pass.Exemptions.HasFlag(Exemptions.StaffOverride));
        Assert.False(pass.Exemptions.HasFlag(Exemptions.EncounterOverride));
        Assert.Equal(Comment, pass.OverrideComment);
        Assert.Equal(TeacherA101, pass.CreatedBy);
        Assert.Equal(3, school.Building.OutFrom(A101));
        Assert.Contains("staff override", decision.StaffExplanation, StringComparison.Ordinal);
        var start = school.EventsOf<PassTransitioned>().Single(e => e.Pass == pass.Id && e.To == PassState.Active);
        Assert.Equal(Comment, start.Start!.OverrideComment);
        Assert.Equal(Comment, school.EventsOf<PassCreated>().Single(e => e.Pass == pass.Id).Comment);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void An_override_sets_aside_the_period_buffers()
    {
        var school = new TestSchool();
        school.Clock.Advance(TimeSpan.FromMinutes(42)); // 9:52, two minutes into period 3
        Assert.Equal(ReasonCode.PeriodStartBuffer, school.Request(Ana, RestroomA).Reason);
        Assert.Equal(ReasonCode.PeriodStartBuffer, school.StaffRequest(TeacherA101, Ana, RestroomA).Reason);

        var decision = school.StaffRequest(TeacherA101, Ana, RestroomA, A101, new RuleOverride(Comment));

        Assert.Equal(Outcome.Granted, decision.Outcome);
        Assert.True(school.Pass(decision).Exemptions.HasFlag(Exemptions.StaffOverride));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void An_override_sets_aside_destination_capacity_instead_of_queueing()
    {
        var school = new TestSchool();
        Assert.Equal(Outcome.Granted, school.Request(Dev, RestroomA).Outcome);

        var decision = school.StaffRequest(TeacherA101, Ana, RestroomA, A101, new RuleOverride(Comment));

        Assert.Equal(Outcome.Granted, decision.Outcome);
        Assert.Equal(PassState.Active, school.Pass(decision).State);
        Assert.Equal(2, school.Building.ActiveAt(RestroomA));
        Assert.Empty(school.Building.QueueOf(RestroomA));
        Assert.Equal(Comment, school.Pass(decision).OverrideComment);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void An_override_sets_aside_the_daily_limit()
    {
        var school = new TestSchool();
        foreach (var minute in new[] { 10, 15, 20 })
        {
            school.At(9, minute);
            Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);
            school.Clock.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal(Outcome.Returned, school.Tap(Ana, KioskA101).Outcome);
        }
        school.At(9, 25);
        // The counselor is not Ana's teacher: without an override the pass would wait for Ms. Alvarez.
        Assert.Equal(Outcome.PendingApproval, school.StaffRequest(CounselorStaff, Ana, RestroomA).Outcome);
        var pending = school.Building.OpenPassOf(Ana)!;
        Assert.Equal(Outcome.Accepted, school.Handle(new CancelPass(pending.Id, school.Now, CounselorStaff)).Outcome);

        var decision = school.StaffRequest(CounselorStaff, Ana, RestroomA, A101, new RuleOverride(Comment));

        Assert.Equal(Outcome.Granted, decision.Outcome);
        Assert.Equal(ReasonCode.StaffOverride, decision.Reason);
        Assert.True(school.Pass(decision).Exemptions.HasFlag(Exemptions.StaffOverride));
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void An_override_sets_aside_the_cooldown()
    {
        var school = new TestSchool();
        Assert.Equal(Outcome.Accepted, school.Configure((at, by) => new ChangePolicy(school.Building.Policy with { Cooldown = TimeSpan.FromMinutes(10) }, at, by)).Outcome);
        Assert.Equal(Outcome.Granted, school.Request(Ana, RestroomA).Outcome);
        school.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(Outcome.Returned, school.Tap(Ana, KioskA101).Outcome);
        Assert.Equal(ReasonCode.Cooldown, school.Request(Ana, RestroomA).Reason);

        var decision = school.StaffRequest(TeacherA101, Ana, RestroomA, A101, new RuleOverride(Comment));

        Assert.Equal(Outcome.Granted, decision.Outcome);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void An_override_sets_aside_the_building_cap()
    {
        var school = new TestSchool();
        Assert.Equal(Outcome.Accepted, school.Configure((at, by) => new ChangePolicy(school.Building.Policy with { BuildingCap = 1 }, at, by)).Outcome);
        Assert.Equal(Outcome.Granted, school.Request(Dev, Water).Outcome);
        Assert.Equal(ReasonCode.BuildingCap, school.Request(Ana, RestroomA).Reason);

        var decision = school.StaffRequest(TeacherA101, Ana, RestroomA, A101, new RuleOverride(Comment));

        Assert.Equal(Outcome.Granted, decision.Outcome);
        Assert.Equal(2, school.Building.InHalls);
    }

    [Fact]
    public void An_override_sets_aside_a_restricted_destination()
    {
        var school = new TestSchool();
        Assert.Equal(ReasonCode.RestrictedDestination, school.Request(Sofia, Library).Reason);
        var teacherB201 = Actor.Staff("t-b201", "Ms. Chen", StaffPermissions.Teacher);

        var decision = school.StaffRequest(teacherB201, Sofia, Library, B201, new RuleOverride("Supervised study, librarian informed"));

        Assert.Equal(Outcome.Granted, decision.Outcome);
        Assert.Equal(Library, school.Pass(decision).Destination);
    }

    [Fact]
    public void An_override_does_not_set_aside_a_lockdown()
    {
        var school = new TestSchool();
        Assert.Equal(Outcome.Accepted, school.Lockdown().Outcome);

        var decision = school.StaffRequest(TeacherA101, Ana, RestroomA, A101, new RuleOverride(Comment));

        Assert.Equal(Outcome.Refused, decision.Outcome);
        Assert.Equal(ReasonCode.Lockdown, decision.Reason);
        Assert.Null(school.Building.OpenPassOf(Ana));
    }

    [Fact]
    public void An_override_does_not_give_a_student_who_is_out_a_second_pass()
    {
        var school = new TestSchool();
        var first = school.Request(Ana, RestroomA);

        var decision = school.StaffRequest(TeacherA101, Ana, Library, A101, new RuleOverride(Comment));

        Assert.Equal(ReasonCode.AlreadyOut, decision.Reason);
        Assert.Equal(first.Pass, school.Building.OpenPassOf(Ana)?.Id);
        Assert.Equal(PassState.Active, school.Pass(first).State);
    }

    [Fact]
    public void An_override_does_not_set_aside_the_approval_a_destination_needs()
    {
        var school = new TestSchool();

        var decision = school.StaffRequest(TeacherA101, Ana, Counselor, A101, new RuleOverride(Comment));

        Assert.Equal(Outcome.PendingApproval, decision.Outcome);
        Assert.Equal(ReasonCode.ApprovalRequired, decision.Reason);
        Assert.Equal(ApprovalRequirement.DestinationStaff, school.Pass(decision).ApprovalRoute);
    }

    [Fact]
    public void An_overridden_pass_that_needs_approval_keeps_the_override_and_its_comment_once_approved()
    {
        var school = new TestSchool();
        var asked = school.StaffRequest(TeacherA101, Ana, Counselor, A101, new RuleOverride(Comment));
        Assert.Equal(Outcome.PendingApproval, asked.Outcome);

        var approved = school.Approve(asked.Pass!.Value, CounselorStaff);

        Assert.Equal(Outcome.Granted, approved.Outcome);
        var pass = school.Pass(asked);
        Assert.Equal(PassState.Active, pass.State);
        Assert.True(pass.Exemptions.HasFlag(Exemptions.StaffOverride));
        Assert.Equal(Comment, pass.OverrideComment);
        school.AssertRebuildsIdentically();
    }

    [Fact]
    public void An_overridden_pass_that_needs_approval_starts_past_the_room_limit_once_approved()
    {
        var school = new TestSchool();
        Assert.Equal(Outcome.Granted, school.Request(Ben, RestroomA).Outcome);
        Assert.Equal(Outcome.Granted, school.Request(Carla, Water).Outcome);
        var asked = school.StaffRequest(TeacherA101, Ana, Counselor, A101, new RuleOverride(Comment));
        Assert.Equal(Outcome.PendingApproval, asked.Outcome);

        var approved = school.Approve(asked.Pass!.Value, CounselorStaff);

        Assert.Equal(Outcome.Granted, approved.Outcome);
        Assert.Equal(PassState.Active, school.Pass(asked).State);
        Assert.Equal(3, school.Building.OutFrom(A101));
        school.AssertRebuildsIdentically();
    }
}
