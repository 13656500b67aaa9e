using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PassTrack.Contracts.Passes;
using PassTrack.Edge.Api;
using PassTrack.Edge.Kiosks;
using PassTrack.Edge.Security;
using PassTrack.Edge.Store;
using PassTrack.Edge.Students;
using PassTrack.Rules.Students;
using static PassTrack.Edge.Tests.Api.ApiClient;

namespace PassTrack.Edge.Tests.Api;

public class StudentsAndKiosksApiTests
{
    [Fact]
    public async Task Students_are_searched_without_regard_to_accents_and_paged_and_credentials_need_the_config_scope()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var reader = await edge.ClientAsync(Scopes.PassesRead);
        using var admin = await edge.ClientAsync(Scopes.Configure);
        var garcias = edge.Writer.StartingConfiguration.Students.Count(s => s.LastName == "García");

        var page = await (await reader.GetAsync("/api/students?search=garcia&pageSize=5", Ct)).ReadAsync<Page<StudentDto>>();
        var grade = await (await reader.GetAsync("/api/students?grade=9&pageSize=1", Ct)).ReadAsync<Page<StudentDto>>();
        var withCards = await (await admin.GetAsync($"/api/students/{page.Items[0].Id}", Ct)).ReadAsync<StudentDto>();
        using var unknown = await reader.GetAsync("/api/students/nobody", Ct);

        Assert.Equal(garcias, page.Total);
        Assert.Equal(5, page.Items.Count);
        Assert.All(page.Items, s => Assert.Equal("García", s.LastName));
        Assert.All(page.Items, s => Assert.Null(s.Credentials));
        Assert.Equal(300, grade.Total);
        Assert.Equal(3, withCards.Credentials!.Count);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_student_is_saved_whole_their_profile_on_its_own_and_a_credential_stays_with_one_student()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var admin = await edge.ClientAsync(Scopes.Configure);
        var existing = edge.PlainStudents()[0];
        var profile = new ProfileDto([], new AccommodationsDto(), [], DailyLimit: 1);
        var newcomer = new StudentDto("200001", "Rosa", "Núñez", 10, Contracts.Language.Spanish, profile, existing.Homeroom!.Value.Value,
            Credentials: [new CredentialDto(CredentialKind.Card, "0A0B0C0D")]);

        using var saved = await admin.PutJsonAsync("/api/students/200001", newcomer);
        var planned = profile with { Accommodations = new AccommodationsDto("504", ExemptFromDailyLimits: true, ExtraTime: new Dictionary<Rules.Configuration.DestinationKind, TimeSpan> { [Rules.Configuration.DestinationKind.Restroom] = TimeSpan.FromMinutes(5) }) };
        using var profiled = await admin.PutJsonAsync("/api/students/200001/profile", planned);
        var read = await (await admin.GetAsync("/api/students/200001", Ct)).ReadAsync<StudentDto>();
        using var stolenCard = await admin.PutJsonAsync($"/api/students/{existing.Id.Value}",
            newcomer with { Id = existing.Id.Value, Credentials = [new CredentialDto(CredentialKind.Card, "0A0B0C0D")] });
        using var unknownDestination = await admin.PutJsonAsync("/api/students/200001/profile", profile with { RestrictedDestinations = ["roof"] });

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(HttpStatusCode.OK, profiled.StatusCode);
        Assert.Equal(("Rosa", "Núñez", "504", 1), (read.FirstName, read.LastName, read.Profile.Accommodations.Plan, read.Profile.DailyLimit));
        Assert.Equal(TimeSpan.FromMinutes(5), read.Profile.Accommodations.ExtraTime![Rules.Configuration.DestinationKind.Restroom]);
        Assert.Equal("0A0B0C0D", Assert.Single(read.Credentials!).Value);
        Assert.Equal(HttpStatusCode.Conflict, stolenCard.StatusCode);
        Assert.Equal(nameof(ReasonCode.InvalidConfiguration), await stolenCard.ReasonAsync());
        Assert.Equal(HttpStatusCode.BadRequest, unknownDestination.StatusCode);
    }

    [Fact]
    public async Task A_pending_kiosk_is_approved_into_a_room_moved_and_revoked()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var client = await edge.ClientAsync(Scopes.Kiosks);
        await using (var scope = edge.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<EdgeDb>();
            db.KioskDevices.Add(new KioskDevice { Id = "kiosk-new", SecretHash = SecretHasher.Hash("device-secret"), Status = DeviceStatus.Pending });
            await db.SaveChangesAsync(Ct);
        }

        var pending = await (await client.GetAsync("/api/kiosks", Ct)).ReadAsync<List<KioskView>>();
        using var unknownRoom = await client.PostJsonAsync("/api/kiosks/kiosk-new/approve", new RoomRequest("Z999"));
        using var approved = await client.PostJsonAsync("/api/kiosks/kiosk-new/approve", new RoomRequest("A101"));
        using var moved = await client.PostJsonAsync("/api/kiosks/kiosk-new/bind", new RoomRequest("B101"));
        using var revoked = await client.PostAsync("/api/kiosks/kiosk-new/revoke", null, Ct);
        using var missing = await client.PostAsync("/api/kiosks/kiosk-gone/revoke", null, Ct);
        var inBuilding = await edge.Writer.ReadAsync(b => b.FindKiosk(new Rules.KioskId("kiosk-new")), Ct);

        Assert.Equal(DeviceStatus.Pending, Assert.Single(pending).Status);
        Assert.Equal(HttpStatusCode.Conflict, unknownRoom.StatusCode);
        Assert.Equal(nameof(ReasonCode.UnknownRoom), await unknownRoom.ReasonAsync());
        var approvedKiosk = await approved.ReadAsync<KioskView>();
        Assert.Equal((DeviceStatus.Approved, "A101"), (approvedKiosk.Status, approvedKiosk.RoomId));
        Assert.Equal("B101", (await moved.ReadAsync<KioskView>()).RoomId);
        Assert.Equal(DeviceStatus.Revoked, (await revoked.ReadAsync<KioskView>()).Status);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(Rules.Configuration.KioskStatus.Revoked, inBuilding!.Status);
    }
}
