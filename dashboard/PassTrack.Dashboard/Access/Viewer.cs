using System.Security.Claims;

namespace PassTrack.Dashboard.Access;

/// <summary>
/// The signed-in user as pages see them: their role, the buildings and rooms it applies to, and the address they
/// connect from (for the audit log). Made from the sign-in cookie's claims; a Superadmin sees every building.
/// </summary>
public sealed record Viewer(
    string UserId,
    string UserName,
    string DisplayName,
    string Role,
    string? Address,
    IReadOnlySet<string> Buildings,
    IReadOnlySet<string> Rooms)
{
    public bool DistrictWide => Role == Roles.Superadmin;

    /// <summary>Admins, and Superadmins anywhere, see every room of their buildings; others only their rooms.</summary>
    public bool WholeBuilding => Role is Roles.Superadmin or Roles.Admin or Roles.Counselor or Roles.Nurse or Roles.Staff;

    public bool CanSeeBuilding(string buildingId) => DistrictWide || Buildings.Contains(buildingId);

    public bool CanSeeRoom(string buildingId, string roomId) =>
        CanSeeBuilding(buildingId) && (WholeBuilding || Rooms.Contains(buildingId + "/" + roomId));

    /// <summary>The rooms of a building this viewer is scoped to (empty for whole-building roles: any room).</summary>
    public IEnumerable<string> RoomsIn(string buildingId) =>
        Rooms.Where(r => r.StartsWith(buildingId + "/", StringComparison.Ordinal)).Select(r => r[(buildingId.Length + 1)..]);

    /// <summary>The viewer from the sign-in cookie's claims, or null for no (or a broken) sign-in.</summary>
    public static Viewer? From(ClaimsPrincipal user, string? address)
    {
        if (user.Identity?.IsAuthenticated != true
            || user.FindFirstValue(ClaimTypes.NameIdentifier) is not { } id
            || user.FindFirstValue(ClaimTypes.Name) is not { } name)
        {
            return null;
        }
        // One role per user: the first of the known roles, most powerful first.
        var role = Roles.All.FirstOrDefault(user.IsInRole);
        if (role is null)
        {
            return null;
        }
        return new Viewer(
            id,
            name,
            user.FindFirstValue("name") is { Length: > 0 } display ? display : name,
            role,
            address,
            user.FindAll(AccessSetup.BuildingClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal),
            user.FindAll(AccessSetup.RoomClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal));
    }

    public Contracts.District.CommandActor AsActor() => new(UserId, DisplayName, Role);
}
