namespace PassTrack.Rules.Configuration;

public enum DestinationKind
{
    Restroom,
    Nurse,
    Office,
    Counselor,
    Dean,
    Library,
    WaterFountain,
    Locker,
    Room,
    Other,
}

/// <summary>Who must say yes before a pass to a destination starts.</summary>
public enum ApprovalRequirement
{
    None,
    OriginTeacher,
    DestinationStaff,
    AnyStaff,
}

/// <summary>
/// Somewhere a student goes on a pass. Capacity counts students there at once; null means unlimited.
/// <paramref name="ArrivalRoom"/> is where the destination's own kiosk hangs, if it has one: taps there record arrival.
/// </summary>
public sealed record Destination(
    DestinationId Id,
    string Name,
    DestinationKind Kind,
    SectionId? Section,
    int? Capacity,
    TimeSpan TimeLimit,
    ApprovalRequirement Approval = ApprovalRequirement.None,
    bool Open = true,
    bool Designated = false,
    bool OneWay = false,
    RoomId? ArrivalRoom = null,
    bool CountsTowardLimits = true,
    string? SpanishName = null,
    string? Specialty = null)
{
    /// <summary>Staff ids who approve passes to this destination and receive its arrivals.</summary>
    public IReadOnlyList<string> Staff { get; init; } = [];

    public string NameIn(PassTrack.Contracts.Language language) =>
        language == PassTrack.Contracts.Language.Spanish && !string.IsNullOrEmpty(SpanishName) ? SpanishName : Name;
}
