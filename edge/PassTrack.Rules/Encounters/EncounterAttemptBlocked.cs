using PassTrack.Contracts.Passes;

namespace PassTrack.Rules.Encounters;

/// <summary>
/// A pass did not start because another member of an encounter group was out. Only counselors and
/// administrators may read these: they name the group and the other student.
/// </summary>
public sealed record EncounterAttemptBlocked(
    StudentId Student,
    RoomId Origin,
    DestinationId Destination,
    EncounterGroupId Group,
    StudentId OtherStudent,
    PassId OtherPass,
    PassSource Source) : BuildingEvent
{
    /// <summary>The pass that could not start, when one exists already (approval, queue claim, schedule).</summary>
    public PassId? Pass { get; init; }
}
