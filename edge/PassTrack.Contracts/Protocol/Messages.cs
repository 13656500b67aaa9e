using PassTrack.Contracts.Passes;

namespace PassTrack.Contracts.Protocol;

// Every payload is JSON with a protocol version "v". Times carry their UTC offset. Ids are strings.

public enum CredentialType
{
    Card,
    Barcode,
    Manual,
}

/// <summary>
/// Kiosk to edge, on <c>.../scan</c>, QoS 1, with a response topic (the kiosk's own reply topic) and correlation data
/// (the scan id). <see cref="ScanId"/> is made by the kiosk and unique to it: the edge applies a scan once however
/// often it arrives. <see cref="ScannedAt"/> is when the card was presented; a scan replayed from the kiosk's queue
/// after an outage keeps it and sets <see cref="Replay"/>.
/// </summary>
public sealed record ScanRequest(int V, string ScanId, CredentialType Kind, string Value, DateTimeOffset ScannedAt, bool Replay = false);

/// <summary>
/// Kiosk to edge, on <c>.../choose</c>: the student identified by scan <see cref="ForScan"/> chose a destination
/// (or, with <see cref="LeaveLine"/>, left the line they were in). Its own <see cref="ScanId"/> makes it idempotent.
/// </summary>
public sealed record ChooseRequest(int V, string ScanId, string ForScan, string? DestinationId, DateTimeOffset ChosenAt, bool JoinQueue = true, bool LeaveLine = false, bool Replay = false);

/// <summary>What a staff member can do at a kiosk with their card.</summary>
public enum StaffAction
{
    /// <summary>Lock the building down: every kiosk shows the lockdown screen and passes stop.</summary>
    Lockdown,
    /// <summary>End the lockdown or fire drill in progress.</summary>
    Clear,
    /// <summary>Register a new card to a student, found by their student number; it replaces their old card.</summary>
    EnrolCard,
}

/// <summary>
/// Kiosk to edge, on <c>.../staff</c>: the staff member identified by scan <see cref="ForScan"/> takes an action.
/// <see cref="StudentNumber"/> and <see cref="Card"/> (the new card's UID as hex) are for
/// <see cref="StaffAction.EnrolCard"/>. Its own <see cref="ScanId"/> makes it idempotent; the edge checks the
/// staff member's permissions as they are now, not as they were at the tap.
/// </summary>
public sealed record StaffActionRequest(int V, string ScanId, string ForScan, StaffAction Action, DateTimeOffset At, bool Replay = false)
{
    public string? StudentNumber { get; init; }

    public string? Card { get; init; }
}

/// <summary>
/// Edge to kiosk, on the request's response topic with its correlation data: the decision. <see cref="Lines"/> is
/// the text for the 20x4 LCD in the student's <see cref="Language"/>.
/// </summary>
public sealed record DecisionReply(
    int V,
    string ScanId,
    Outcome Outcome,
    ReasonCode Reason,
    IReadOnlyList<string> Lines,
    Language Language)
{
    public string? PassId { get; init; }

    public string? StudentId { get; init; }

    public string? FirstName { get; init; }

    public int? QueuePosition { get; init; }

    public int? TimeLimitSeconds { get; init; }

    /// <summary>Back by, claim by or approval by.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Seconds to wait, or how long the student was out on a return.</summary>
    public int? WaitSeconds { get; init; }

    /// <summary>For <see cref="Outcome.StaffIdentified"/>: who, and what they may do at this kiosk.</summary>
    public string? StaffId { get; init; }

    public IReadOnlyList<StaffAction>? StaffActions { get; init; }

    /// <summary>Set when the edge refused the message itself (malformed, not this kiosk's, unknown scan) rather than decided it.</summary>
    public string? Error { get; init; }
}

public enum KioskState
{
    Online,
    Offline,
}

/// <summary>Kiosk, retained, on <c>.../status</c>. The kiosk's Last Will publishes the same with Offline.</summary>
public sealed record KioskStatusMessage(int V, KioskState State, string? Firmware, DateTimeOffset At);

public enum ReaderHealth
{
    Ok,
    Degraded,
    Failed,
}

/// <summary>Kiosk to edge, on <c>.../telemetry</c>, every heartbeat interval.</summary>
public sealed record TelemetryMessage(int V, long UptimeSeconds, int QueuedScans, string Firmware, ReaderHealth Reader, DateTimeOffset At)
{
    public long? MemoryBytes { get; init; }
}

public enum CommandType
{
    /// <summary>Show the lockdown screen until cleared.</summary>
    Lockdown,
    FireDrill,
    /// <summary>The emergency is over: back to the idle screen.</summary>
    Clear,
    /// <summary>New configuration: room, labels, destinations, language.</summary>
    Configure,
    /// <summary>The edge's time, for the kiosk's clock.</summary>
    TimeSync,
    /// <summary>A student in this room is summoned: play the summons sound until they tap.</summary>
    Summons,
    /// <summary>The summons was answered or withdrawn: stop alerting.</summary>
    SummonsClosed,
    /// <summary>This kiosk is not (or no longer) approved: show the setup screen.</summary>
    Unapproved,
    /// <summary>A signed update is offered: fetch it from the edge, install it beside this version and switch.</summary>
    Update,
}

/// <summary>A destination on the kiosk's menu, numbered by its position for the keypad.</summary>
public sealed record MenuItem(string DestinationId, string Label, string LabelEs);

public sealed record KioskConfiguration(string RoomId, string RoomName, IReadOnlyList<MenuItem> Destinations, Language DefaultLanguage, string BuildingName)
{
    /// <summary>Whether the kiosk is in tardy mode (records late arrivals).</summary>
    public bool TardyMode { get; init; }
}

public sealed record SummonsAlert(string SummonsId, string StudentId, string FirstName, string Destination, string DestinationEs, string Priority);

/// <summary>Edge to kiosk, on <c>.../command</c>, QoS 1. Configuration commands are retained so a restarted kiosk has them.</summary>
public sealed record KioskCommand(int V, CommandType Type, DateTimeOffset At)
{
    public KioskConfiguration? Configuration { get; init; }

    public SummonsAlert? Summons { get; init; }

    public string? SummonsId { get; init; }

    public UpdateOffer? Update { get; init; }
}

/// <summary>
/// An update for one kiosk: its signed manifest and signature (base64), checked before anything is fetched, and the
/// path on the edge's HTTP port to fetch the bundle from with <see cref="Token"/>, which is good for this kiosk, this
/// version and a limited time only.
/// </summary>
public sealed record UpdateOffer(string Version, string Manifest, string Signature, string Path, string Token);

public enum UpdateStage
{
    /// <summary>Refused before anything changed: bad signature, truncated or altered download, unsafe bundle.</summary>
    Refused,
    /// <summary>Installed beside the running version and switched to; the kiosk restarts into it on trial.</summary>
    Installed,
    /// <summary>The new version runs, is linked to the edge and its loops are alive: it stays.</summary>
    Healthy,
    /// <summary>The new version did not prove healthy in time (or kept failing to start): the previous one is back.</summary>
    RolledBack,
}

/// <summary>Kiosk to edge, on <c>.../update</c>: how an offered update went.</summary>
public sealed record UpdateReport(int V, string Version, UpdateStage Stage, DateTimeOffset At)
{
    public string? Detail { get; init; }
}

public static class Protocol
{
    /// <summary>The protocol version every payload carries.</summary>
    public const int Version = 1;

    /// <summary>MQTT 5 user property a new kiosk sends on CONNECT with the district's enrolment token.</summary>
    public const string EnrollmentTokenProperty = "passtrack-enrollment-token";

    /// <summary>MQTT 5 user property carrying the kiosk's firmware version on CONNECT.</summary>
    public const string FirmwareProperty = "passtrack-firmware";

    /// <summary>HTTP header carrying an <see cref="UpdateOffer.Token"/> when the kiosk fetches its bundle.</summary>
    public const string UpdateTokenHeader = "X-PassTrack-Update-Token";
}
