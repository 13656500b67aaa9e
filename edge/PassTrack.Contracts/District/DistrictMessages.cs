using System.Text.Json;
using System.Text.Json.Serialization;

namespace PassTrack.Contracts.District;

/// <summary>An edge says who it is when it connects; the district answers with a <see cref="SyncMessage"/>.</summary>
public sealed record HelloMessage(int V, string BuildingId, string BuildingName, long LastSequence, string Version);

/// <summary>One event of a building's log as the district receives it: <see cref="Data"/> is the event as the edge stored it.</summary>
public sealed record FederatedEvent(long Sequence, string Type, long AtUnixMs, JsonElement Data);

/// <summary>
/// Consecutive events of a building's log, oldest first. <see cref="LastSequence"/> is the edge's newest at sending,
/// so the district knows how far behind it is even before the rest arrives.
/// </summary>
public sealed record EventBatch(int V, string BuildingId, IReadOnlyList<FederatedEvent> Events, long LastSequence);

/// <summary>
/// The district holds every event up to <see cref="Through"/> without a gap. With <see cref="Resend"/> the edge sends
/// again from the one after (on connecting, and when the district saw a gap); without it this only acknowledges.
/// With <see cref="NeedSetup"/> the district lacks the building's starting configuration: the edge sends its
/// <see cref="SetupMessage"/>.
/// </summary>
public sealed record SyncMessage(int V, long Through, bool Resend, bool NeedSetup = false);

/// <summary>
/// The building's starting configuration (students, rooms, destinations, schedules as they were when its store was
/// made), gzip-compressed JSON in base64: replaying the event log on it gives the building as the edge has it. A large
/// school's roster is megabytes of JSON and a tenth of that compressed, under the district broker's message cap.
/// </summary>
public sealed record SetupMessage(int V, string BuildingId, long CreatedAtUnixMs, string ConfigurationGzip);

/// <summary>An edge's retained presence on the district broker.</summary>
public sealed record EdgeStatusMessage(int V, bool Online, long AtUnixMs);

/// <summary>The dashboard user a command acts for: the edge records them as the actor.</summary>
public sealed record CommandActor(string UserId, string Name, string Role);

/// <summary>
/// A staff action from the dashboard for the owning edge: an edge API call (<see cref="Method"/>, a
/// <see cref="Path"/> under <c>/api</c>, a JSON <see cref="Body"/>) made for <see cref="Actor"/>. The edge accepts only
/// the calls on its list of district commands.
/// </summary>
public sealed record DistrictCommand(int V, string CommandId, CommandActor Actor, string Method, string Path, JsonElement? Body);

/// <summary>What the edge answered: the HTTP status its API gave and its body (a problem document when refused).</summary>
public sealed record CommandResult(int V, string CommandId, int Status, JsonElement? Body);

/// <summary>Source-generated JSON for the federation's messages; the same conventions as the kiosk protocol.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    MaxDepth = 64)]
[JsonSerializable(typeof(HelloMessage))]
[JsonSerializable(typeof(EventBatch))]
[JsonSerializable(typeof(SyncMessage))]
[JsonSerializable(typeof(SetupMessage))]
[JsonSerializable(typeof(EdgeStatusMessage))]
[JsonSerializable(typeof(DistrictCommand))]
[JsonSerializable(typeof(CommandResult))]
public sealed partial class DistrictJson : JsonSerializerContext
{
    /// <summary>The federation protocol's version, in every message's <c>v</c>.</summary>
    public const int Version = 1;
}
