using System.Net;
using PassTrack.Edge.Security;
using PassTrack.Edge.Staff;
using PassTrack.Edge.Students;
using PassTrack.Rules;
using PassTrack.Rules.Demo;
using PassTrack.Rules.Students;
using static PassTrack.Edge.Tests.Api.ApiClient;

namespace PassTrack.Edge.Tests.Api;

public class StaffApiTests
{
    [Fact]
    public async Task Staff_badges_are_managed_by_configuration_keys_only_and_a_badge_switched_off_stops_working()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var admin = await edge.ClientAsync(Scopes.Configure);
        using var reader = await edge.ClientAsync(Scopes.PassesRead);
        var coach = new StaffMemberDto("t-coach", "Coach Reyes", StaffPermissions.Teacher, Credentials: [new CredentialDto(CredentialKind.Card, "05:C0:AC:00:00:00:01")]);

        using var forbidden = await reader.GetAsync("/api/staff", Ct);
        using var saved = await admin.PutJsonAsync("/api/staff/t-coach", coach);
        var read = await (await admin.GetAsync("/api/staff/t-coach", Ct)).ReadAsync<StaffMemberDto>();
        var roster = await (await admin.GetAsync("/api/staff", Ct)).ReadAsync<List<StaffMemberDto>>();
        var found = await edge.Writer.ReadAsync(b => b.FindStaff(new Credential(CredentialKind.Card, "05C0AC00000001"))?.Id, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal("05C0AC00000001", Assert.Single(read.Credentials!).Value);
        Assert.Contains(roster, m => m.Id == DemoSchool.Principal.Id);
        Assert.Equal(new StaffId("t-coach"), found);

        using var off = await admin.PutJsonAsync("/api/staff/t-coach", coach with { Active = false, Credentials = null });
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        Assert.Null(await edge.Writer.ReadAsync(b => b.FindStaff(new Credential(CredentialKind.Card, "05C0AC00000001")), Ct));
        var kept = await (await admin.GetAsync("/api/staff/t-coach", Ct)).ReadAsync<StaffMemberDto>();
        Assert.False(kept.Active);
        Assert.Single(kept.Credentials!);
    }

    [Fact]
    public async Task A_badge_that_is_a_students_card_or_a_typed_number_is_refused()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var admin = await edge.ClientAsync(Scopes.Configure);
        var studentCard = edge.PlainStudents()[0].Credentials.First(c => c.Kind == CredentialKind.Card).Value;

        using var clash = await admin.PutJsonAsync("/api/staff/t-x", new StaffMemberDto("t-x", "X", StaffPermissions.Teacher, Credentials: [new CredentialDto(CredentialKind.Card, studentCard)]));
        using var typed = await admin.PutJsonAsync("/api/staff/t-y", new StaffMemberDto("t-y", "Y", StaffPermissions.Teacher, Credentials: [new CredentialDto(CredentialKind.StudentNumber, "4242")]));
        using var hostile = await admin.PutJsonAsync("/api/staff/t-z", new StaffMemberDto("t-z", new string('z', 500), StaffPermissions.Teacher));

        Assert.Equal(HttpStatusCode.Conflict, clash.StatusCode);
        Assert.Equal("CredentialInUse", await clash.ReasonAsync());
        Assert.Equal(HttpStatusCode.BadRequest, typed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, hostile.StatusCode);
        Assert.Null(await edge.Writer.ReadAsync(b => b.FindStaff(new StaffId("t-x")), Ct));
    }
}
