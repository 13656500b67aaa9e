using System.Text.Json;
using System.Text.Json.Serialization;

namespace PassTrack.Contracts.Protocol;

/// <summary>
/// Source-generated JSON for every protocol message: no reflection, safe for the trimmed kiosk build.
/// camelCase names, enums as their names.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    MaxDepth = 16)]
[JsonSerializable(typeof(ScanRequest))]
[JsonSerializable(typeof(ChooseRequest))]
[JsonSerializable(typeof(StaffActionRequest))]
[JsonSerializable(typeof(DecisionReply))]
[JsonSerializable(typeof(KioskStatusMessage))]
[JsonSerializable(typeof(TelemetryMessage))]
[JsonSerializable(typeof(UpdateReport))]
[JsonSerializable(typeof(KioskCommand))]
public sealed partial class ProtocolJson : JsonSerializerContext;
