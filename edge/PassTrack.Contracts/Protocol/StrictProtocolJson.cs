using System.Text.Json;
using System.Text.Json.Serialization;

namespace PassTrack.Contracts.Protocol;

/// <summary>
/// How the edge reads what kiosks send: the same names as <see cref="ProtocolJson"/>, but a member the protocol version
/// does not define, or a member given twice, is refused rather than ignored. Kiosks read the edge's messages with the
/// lenient <see cref="ProtocolJson"/>, so a newer edge may add fields without breaking older firmware.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    MaxDepth = 8)]
[JsonSerializable(typeof(ScanRequest))]
[JsonSerializable(typeof(ChooseRequest))]
[JsonSerializable(typeof(StaffActionRequest))]
[JsonSerializable(typeof(KioskStatusMessage))]
[JsonSerializable(typeof(TelemetryMessage))]
[JsonSerializable(typeof(UpdateReport))]
public sealed partial class StrictProtocolJson : JsonSerializerContext;

/// <summary>
/// The <see cref="DecisionReply.Error"/> values: the edge refused the message itself and applied nothing. A kiosk keeps
/// a scan answered with <see cref="Unavailable"/> in its queue and sends it again later; the others will not succeed
/// if repeated unchanged.
/// </summary>
public static class ProtocolErrors
{
    /// <summary>Not JSON, a required member missing or invalid, or a member this version does not define.</summary>
    public const string Malformed = "malformed";

    /// <summary>The payload's <c>v</c> is not a version this edge speaks.</summary>
    public const string UnsupportedVersion = "unsupported-version";

    /// <summary>Larger than the edge's message size cap.</summary>
    public const string TooLarge = "too-large";

    /// <summary>Published on a topic that is not the sender's own.</summary>
    public const string NotYourTopic = "not-your-topic";

    /// <summary>A choice for a scan this kiosk never sent, or one that did not identify a student.</summary>
    public const string UnknownScan = "unknown-scan";

    /// <summary>A staff action for a scan that did not identify a staff member at this kiosk, or too long ago.</summary>
    public const string NotStaff = "not-staff";

    /// <summary>A choice for a scan too long ago: the student must tap again.</summary>
    public const string ScanExpired = "scan-expired";

    /// <summary>The edge could not commit the decision just now; nothing was applied. Send the same scan again later.</summary>
    public const string Unavailable = "unavailable";
}
