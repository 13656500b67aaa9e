using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace PassTrack.Dashboard.Access;

/// <summary>
/// The base of every page that shows building data: who is looking (from the sign-in cookie) and from where (the page
/// request's address, cascaded by <c>Routes</c>), for scopes and for the audit log.
/// </summary>
public abstract class ViewerPage : ComponentBase
{
    [CascadingParameter]
    private Task<AuthenticationState> Authentication { get; set; } = null!;

    [CascadingParameter(Name = "ViewerAddress")]
    private string? Address { get; set; }

    /// <summary>The signed-in user, or null for an account with no known role.</summary>
    protected async Task<Viewer?> ViewerAsync() => Viewer.From((await Authentication).User, Address);
}

public static class ViewerBuildings
{
    /// <summary>The replicas of the buildings <paramref name="viewer"/> may see, by name.</summary>
    public static IEnumerable<Federation.BuildingReplica> VisibleTo(this Federation.BuildingReplicas replicas, Viewer viewer) =>
        replicas.All.Where(r => viewer.CanSeeBuilding(r.BuildingId)).OrderBy(r => r.Name, StringComparer.CurrentCulture);
}
