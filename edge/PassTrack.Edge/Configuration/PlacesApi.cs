using Microsoft.AspNetCore.Http.HttpResults;
using PassTrack.Edge.Api;
using PassTrack.Edge.Passes;
using PassTrack.Edge.Security;
using PassTrack.Rules;
using PassTrack.Rules.Configuration;

namespace PassTrack.Edge.Configuration;

public sealed record SectionDto(string Id, string Name, IReadOnlyList<string> Nearby)
{
    public static SectionDto Of(Section s) => new(s.Id.Value, s.Name, s.Nearby.Select(n => n.Value).ToList());

    public Section ToSection() => new(new SectionId(Id), Name.Trim(), Nearby.Select(n => new SectionId(n)).ToList());
}

public sealed record RoomDto(string Id, string Name, string SectionId, IReadOnlyList<string> Teachers, int? MaxOut = null, bool TardyMode = false)
{
    public static RoomDto Of(Room r) => new(r.Id.Value, r.Name, r.Section.Value, r.Teachers, r.MaxOut, r.TardyMode);

    public Room ToRoom() => new(new RoomId(Id), Name.Trim(), new SectionId(SectionId), Teachers.ToList(), MaxOut, TardyMode);
}

/// <summary>A destination; <see cref="Open"/> false closes it (its line moves to the nearest open equivalent). No capacity: unlimited.</summary>
public sealed record DestinationDto(
    string Id,
    string Name,
    DestinationKind Kind,
    TimeSpan TimeLimit,
    string? SectionId = null,
    int? Capacity = null,
    ApprovalRequirement Approval = ApprovalRequirement.None,
    bool Open = true,
    bool Designated = false,
    bool OneWay = false,
    string? ArrivalRoomId = null,
    bool CountsTowardLimits = true,
    string? SpanishName = null,
    string? Specialty = null,
    IReadOnlyList<string>? Staff = null)
{
    public static DestinationDto Of(Destination d) => new(d.Id.Value, d.Name, d.Kind, d.TimeLimit, d.Section?.Value, d.Capacity, d.Approval, d.Open,
        d.Designated, d.OneWay, d.ArrivalRoom?.Value, d.CountsTowardLimits, d.SpanishName, d.Specialty, d.Staff);

    public Destination ToDestination() => new(new DestinationId(Id), Name.Trim(), Kind, SectionId is null ? null : new SectionId(SectionId), Capacity, TimeLimit,
        Approval, Open, Designated, OneWay, ArrivalRoomId is null ? null : new RoomId(ArrivalRoomId), CountsTowardLimits, SpanishName, Specialty)
    {
        Staff = Staff?.ToList() ?? [],
    };
}

/// <summary>Sections, rooms and destinations: where students are and where they go.</summary>
public static class PlacesApi
{
    public static RouteGroupBuilder MapPlaces(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/config").WithTags("Configuration");

        group.MapGet("/sections", async (BuildingWriter writer, CancellationToken ct) =>
            TypedResults.Ok(await writer.ReadAsync(b => b.Sections.OrderBy(s => s.Id.Value, StringComparer.Ordinal).Select(SectionDto.Of).ToList(), ct)))
            .RequireScope(Scopes.Configure, Scopes.PassesRead);

        group.MapPut("/sections/{id}", (string id, SectionDto body, BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
            ConfigurationChange.SaveAsync(writer, body, new Checks()
                .That(body.Id == id, "id", "must match the id in the address.").Id("id", id)
                .Text("name", body.Name, required: true, max: 100)
                .Ids("nearby", body.Nearby, max: 100),
                () => new SaveSection(body.ToSection(), time.GetUtcNow(), caller.Actor), null, ct))
            .RequireScope(Scopes.Configure).Audited("config.sections.save");

        group.MapGet("/rooms", async (BuildingWriter writer, CancellationToken ct) =>
            TypedResults.Ok(await writer.ReadAsync(b => b.Rooms.OrderBy(r => r.Id.Value, StringComparer.Ordinal).Select(RoomDto.Of).ToList(), ct)))
            .RequireScope(Scopes.Configure, Scopes.PassesRead);

        group.MapPut("/rooms/{id}", (string id, RoomDto body, BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
            ConfigurationChange.SaveAsync(writer, body, new Checks()
                .That(body.Id == id, "id", "must match the id in the address.").Id("id", id)
                .Text("name", body.Name, required: true, max: 100)
                .Id("sectionId", body.SectionId)
                .Ids("teachers", body.Teachers, max: 50)
                .That(body.MaxOut is null or (>= 0 and <= 100), "maxOut", "must be between 0 and 100."),
                () => new SaveRoom(body.ToRoom(), time.GetUtcNow(), caller.Actor),
                $"The room's section '{body.SectionId}' is not known to this building.", ct))
            .RequireScope(Scopes.Configure).Audited("config.rooms.save");

        group.MapGet("/destinations", async (BuildingWriter writer, CancellationToken ct) =>
            TypedResults.Ok(await writer.ReadAsync(b => b.Destinations.OrderBy(d => d.Id.Value, StringComparer.Ordinal).Select(DestinationDto.Of).ToList(), ct)))
            .RequireScope(Scopes.Configure, Scopes.PassesRead);

        group.MapPut("/destinations/{id}", (string id, DestinationDto body, BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
            ConfigurationChange.SaveAsync(writer, body, new Checks()
                .That(body.Id == id, "id", "must match the id in the address.").Id("id", id)
                .Text("name", body.Name, required: true, max: 100)
                .Text("spanishName", body.SpanishName, max: 100)
                .Text("specialty", body.Specialty, max: 100)
                .Id("sectionId", body.SectionId, required: false)
                .Id("arrivalRoomId", body.ArrivalRoomId, required: false)
                .Ids("staff", body.Staff, max: 50)
                .That(body.Capacity is null or (>= 0 and <= 10_000), "capacity", "must be between 0 and 10,000, or absent for no limit.")
                .That(body.TimeLimit > TimeSpan.Zero && body.TimeLimit <= TimeSpan.FromHours(8), "timeLimit", "must be more than zero and at most 8 hours."),
                () => new SaveDestination(body.ToDestination(), time.GetUtcNow(), caller.Actor),
                $"The destination's section '{body.SectionId}' is not known to this building.", ct))
            .RequireScope(Scopes.Configure).Audited("config.destinations.save");

        group.MapPost("/destinations/{id}/open", (string id, BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
            SetOpenAsync(id, true, writer, time, caller, ct))
            .RequireScope(Scopes.Configure).Audited("config.destinations.open");

        group.MapPost("/destinations/{id}/close", (string id, BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
            SetOpenAsync(id, false, writer, time, caller, ct))
            .RequireScope(Scopes.Configure).Audited("config.destinations.close")
            .WithSummary("Close a destination: new requests and its line go to the nearest open equivalent");

        group.ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    private static async Task<Results<Ok<DestinationDto>, ValidationProblem, ProblemHttpResult>> SetOpenAsync(
        string id, bool open, BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct)
    {
        if (!Checks.IsId(id))
        {
            return Problems.Invalid("id", "is not a destination id.");
        }
        var current = await writer.ReadAsync(b => b.FindDestination(new DestinationId(id)), ct);
        if (current is null)
        {
            return Problems.NotFound("destination", id);
        }
        var changed = current with { Open = open };
        var (_, refusal) = await writer.DecideAsync(new SaveDestination(changed, time.GetUtcNow(), caller.Actor), ct);
        return refusal is not null ? refusal : TypedResults.Ok(DestinationDto.Of(changed));
    }
}

/// <summary>The shape every whole-item save shares: check the input, then let the building accept or refuse it.</summary>
internal static class ConfigurationChange
{
    /// <param name="invalidBecause">What "invalid configuration" means for this item, told to staff instead of the generic words.</param>
    public static async Task<Results<Ok<T>, ValidationProblem, ProblemHttpResult>> SaveAsync<T>(
        BuildingWriter writer, T body, Checks checks, Func<BuildingCommand> command, string? invalidBecause, CancellationToken ct)
    {
        if (checks.Problem is { } invalid)
        {
            return invalid;
        }
        var (decision, refusal) = await writer.DecideAsync(command(), ct);
        if (refusal is null)
        {
            return TypedResults.Ok(body);
        }
        return decision.Reason == Contracts.Passes.ReasonCode.InvalidConfiguration && invalidBecause is not null
            ? Problems.Refused(decision.Reason, invalidBecause)
            : refusal;
    }
}
