using Microsoft.AspNetCore.Http.HttpResults;
using PassTrack.Edge.Api;
using PassTrack.Edge.Configuration;
using PassTrack.Edge.Passes;
using PassTrack.Edge.Security;
using PassTrack.Edge.Students;
using PassTrack.Rules;
using PassTrack.Rules.Staff;
using PassTrack.Rules.Students;

namespace PassTrack.Edge.Staff;

/// <summary>
/// A member of staff whose card or badge code opens staff actions at the kiosks, with what they may do. Absent
/// credentials on a save keep the current ones; <c>active: false</c> switches every card of theirs off at once.
/// </summary>
public sealed record StaffMemberDto(string Id, string Name, StaffPermissions Permissions, bool Active = true, IReadOnlyList<CredentialDto>? Credentials = null)
{
    public static StaffMemberDto Of(StaffMember m) =>
        new(m.Id.Value, m.Name, m.Permissions, m.Active, m.Credentials.Select(c => new CredentialDto(c.Kind, c.Value)).ToList());

    public StaffMember ToStaff(StaffMember? current) => new(
        new StaffId(Id),
        Name.Trim(),
        Permissions,
        Credentials?.Select(c => new Credential(c.Kind, c.Kind == CredentialKind.Card ? Kiosks.KioskRequests.NormaliseCardId(c.Value) : c.Value.Trim())).Distinct().ToList()
            ?? current?.Credentials ?? [])
    {
        Active = Active,
    };
}

public static class StaffApi
{
    public static RouteGroupBuilder MapStaff(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/staff").WithTags("Staff");

        group.MapGet("/", async (BuildingWriter writer, CancellationToken ct) =>
        {
            var staff = await writer.ReadAsync(b => b.Staff.OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase).ThenBy(m => m.Id.Value, StringComparer.Ordinal).ToList(), ct);
            return TypedResults.Ok(staff.Select(StaffMemberDto.Of).ToList());
        }).RequireScope(Scopes.Configure).Audited("staff.list")
            .WithSummary("The building's staff roster for the kiosks, with their cards");

        group.MapGet("/{id}", async Task<Results<Ok<StaffMemberDto>, ValidationProblem, ProblemHttpResult>> (string id, BuildingWriter writer, CancellationToken ct) =>
        {
            if (!Checks.IsId(id))
            {
                return Problems.Invalid("id", "is not a staff id.");
            }
            var member = await writer.ReadAsync(b => b.FindStaff(new StaffId(id)), ct);
            return member is null ? Problems.NotFound("staff member", id) : TypedResults.Ok(StaffMemberDto.Of(member));
        }).RequireScope(Scopes.Configure).Audited("staff.read");

        group.MapPut("/{id}", async (string id, StaffMemberDto body, BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
        {
            var current = await writer.ReadAsync(b => b.FindStaff(new StaffId(id)), ct);
            var checks = new Checks()
                .That(body.Id == id, "id", "must match the id in the address.").Id("id", id)
                .Text("name", body.Name, required: true, max: 100)
                .That(Enum.IsDefined(body.Permissions) || (body.Permissions & ~AllPermissions) == 0, "permissions", "names a permission this edge does not know.")
                .That(body.Credentials is null || body.Credentials.Count <= 10, "credentials", "may list at most 10.")
                .That(body.Credentials?.All(c => c.Value.Trim().Length is >= 1 and <= 64) ?? true, "credentials", "every value must be 1 to 64 characters.")
                .That(body.Credentials?.All(c => c.Kind != CredentialKind.StudentNumber) ?? true, "credentials", "must be cards or badge codes: a typed number could be typed by anyone.");
            return await ConfigurationChange.SaveAsync(writer, body, checks, () => new SaveStaffMember(body.ToStaff(current), time.GetUtcNow(), caller.Actor), null, ct);
        }).RequireScope(Scopes.Configure).Audited("staff.save")
            .WithSummary("Add or replace a staff member; active false switches their cards off");

        group.ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    private static readonly StaffPermissions AllPermissions = Enum.GetValues<StaffPermissions>().Aggregate(StaffPermissions.None, (all, p) => all | p);
}
