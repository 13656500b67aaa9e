using Microsoft.AspNetCore.Http.HttpResults;
using PassTrack.Contracts.Passes;
using PassTrack.Edge.Api;
using PassTrack.Edge.Security;

namespace PassTrack.Edge.Kiosks;

public sealed record RoomRequest(string RoomId);

/// <summary>The kiosks of this building: pending ones wait for an administrator to approve them and bind them to a room.</summary>
public static class KiosksApi
{
    public static RouteGroupBuilder MapKiosks(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/kiosks").WithTags("Kiosks").RequireScope(Scopes.Kiosks);

        group.MapGet("/", async (KioskRegistry registry, CancellationToken ct) => TypedResults.Ok(await registry.ListAsync(ct)))
            .WithSummary("Every kiosk: pending, approved and revoked, with its room and what it last reported");

        group.MapPost("/{id}/approve", (string id, RoomRequest body, KioskRegistry registry, Caller caller, CancellationToken ct) =>
            ChangeAsync(id, body.RoomId, () => registry.ApproveAsync(id, body.RoomId, caller.Actor, ct)))
            .Audited("kiosks.approve").WithSummary("Approve a pending (or revoked) kiosk and bind it to a room");

        group.MapPost("/{id}/bind", (string id, RoomRequest body, KioskRegistry registry, Caller caller, CancellationToken ct) =>
            ChangeAsync(id, body.RoomId, () => registry.MoveAsync(id, body.RoomId, caller.Actor, ct)))
            .Audited("kiosks.bind").WithSummary("Move a kiosk to another room");

        group.MapPost("/{id}/revoke", (string id, KioskRegistry registry, Caller caller, CancellationToken ct) =>
            ChangeAsync(id, null, () => registry.RevokeAsync(id, caller.Actor, ct)))
            .Audited("kiosks.revoke").WithSummary("Take a kiosk out of service: its connection is refused from now on");

        group.ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    private static async Task<Results<Ok<KioskView>, ValidationProblem, ProblemHttpResult>> ChangeAsync(string id, string? roomId, Func<Task<KioskChange>> change)
    {
        var invalid = new Checks().Id("id", id).Id("roomId", roomId, required: false).Problem;
        if (invalid is not null)
        {
            return invalid;
        }
        var result = await change();
        return result.Result switch
        {
            KioskChangeResult.Done => TypedResults.Ok(result.Kiosk!),
            KioskChangeResult.NotFound => Problems.NotFound("kiosk", id),
            KioskChangeResult.UnknownRoom => Problems.Refused(ReasonCode.UnknownRoom, $"Refused: the room '{roomId}' is not known to this building."),
            _ => Problems.Refused(ReasonCode.NotPermitted, "Refused: this key may not change kiosks."),
        };
    }
}
