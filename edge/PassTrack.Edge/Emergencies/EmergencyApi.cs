using Microsoft.AspNetCore.Http.HttpResults;
using PassTrack.Edge.Api;
using PassTrack.Edge.Passes;
using PassTrack.Edge.Security;
using PassTrack.Rules;
using PassTrack.Rules.Emergencies;

namespace PassTrack.Edge.Emergencies;

/// <summary>A student who was out when the emergency began, and whether a kiosk has seen them since.</summary>
public sealed record StudentOutDto(
    string StudentId,
    string? StudentName,
    string PassId,
    string OriginRoomId,
    string DestinationId,
    bool Accounted,
    DateTimeOffset? AccountedAt,
    string? AccountedInRoomId);

public sealed record EmergencyStatusDto(
    bool Active,
    EmergencyKind? Kind,
    DateTimeOffset? StartedAt,
    string? StartedBy,
    int Unaccounted,
    IReadOnlyList<StudentOutDto> StudentsOut)
{
    public static readonly EmergencyStatusDto None = new(false, null, null, null, 0, []);

    public static EmergencyStatusDto Of(Building b) => b.Emergency is not { } e
        ? None
        : new EmergencyStatusDto(
            true,
            e.Kind,
            e.StartedAt,
            e.StartedBy.Name,
            e.Unaccounted.Count(),
            // Still unaccounted first: they are who staff are looking for.
            e.StudentsOut.OrderBy(s => s.AccountedAt is not null).ThenBy(s => s.Pass.Value)
                .Select(s => new StudentOutDto(s.Student.Value, b.FindStudent(s.Student)?.FullName, Checks.Text(s.Pass), s.Origin.Value,
                    s.Destination.Value, s.AccountedAt is not null, s.AccountedAt, s.AccountedIn?.Value))
                .ToList());
}

public static class EmergencyApi
{
    public static RouteGroupBuilder MapEmergency(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/emergency").WithTags("Emergency");

        group.MapGet("/", async (BuildingWriter writer, CancellationToken ct) =>
            TypedResults.Ok(await writer.ReadAsync(EmergencyStatusDto.Of, ct)))
            .RequireScope(Scopes.Emergency, Scopes.PassesRead).Audited("emergency.read")
            .WithSummary("The emergency in force, with the students who were out and who is still unaccounted for");

        group.MapPost("/lockdown", (BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
            Change(writer, new StartEmergency(EmergencyKind.Lockdown, time.GetUtcNow(), caller.Actor), ct))
            .RequireScope(Scopes.Emergency).Audited("emergency.lockdown")
            .WithSummary("Lock the building down: every pass ends, new ones are refused until cleared");

        group.MapPost("/fire-drill", (BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
            Change(writer, new StartEmergency(EmergencyKind.FireDrill, time.GetUtcNow(), caller.Actor), ct))
            .RequireScope(Scopes.Emergency).Audited("emergency.fire-drill");

        group.MapPost("/clear", (BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
            Change(writer, new ClearEmergency(time.GetUtcNow(), caller.Actor), ct))
            .RequireScope(Scopes.Emergency).Audited("emergency.clear")
            .WithSummary("All clear: passes may be requested again");

        group.ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    private static async Task<Results<Ok<EmergencyStatusDto>, ProblemHttpResult>> Change(BuildingWriter writer, BuildingCommand command, CancellationToken ct)
    {
        var (decision, refusal) = await writer.DecideAsync(command, ct);
        if (refusal is not null)
        {
            return command is ClearEmergency && decision.Reason == Contracts.Passes.ReasonCode.InvalidTransition
                ? Problems.Refused(decision.Reason, "No emergency is in force.")
                : refusal;
        }
        return TypedResults.Ok(await writer.ReadAsync(EmergencyStatusDto.Of, ct));
    }
}
