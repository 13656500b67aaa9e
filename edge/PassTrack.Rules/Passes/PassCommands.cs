using PassTrack.Contracts.Passes;
using PassTrack.Rules.Students;

namespace PassTrack.Rules.Passes;

/// <summary>A staff member's decision to set rules 3 to 11 aside, with the reason recorded.</summary>
public sealed record RuleOverride(string Comment, bool IncludingEncounterPrevention = false);

/// <summary>A student asks (at a kiosk) or staff ask on a student's behalf for a pass from a room to a destination.</summary>
public sealed record RequestPass(
    StudentId Student,
    RoomId Origin,
    DestinationId Destination,
    PassSource Source,
    DateTimeOffset At,
    Actor Actor) : BuildingCommand(At, Actor)
{
    /// <summary>Whether to join the destination's line when it is full (the kiosk asks the student).</summary>
    public bool JoinQueueIfFull { get; init; } = true;

    public RuleOverride? Override { get; init; }
}

/// <summary>
/// A card, code or student number presented at a kiosk. <see cref="BuildingCommand.At"/> is when the building
/// handles it; <see cref="ScannedAt"/> is when the student tapped, earlier when the kiosk replays its queue after an
/// outage. Returns and arrivals happen at the scan's time; what they set off (an offer to the line) starts now.
/// </summary>
public sealed record Tap(KioskId Kiosk, Credential Credential, DateTimeOffset At, Actor Actor) : BuildingCommand(At, Actor)
{
    public DateTimeOffset? ScannedAt { get; init; }

    internal DateTimeOffset EffectiveScanTime => ScannedAt is { } scanned && scanned < At ? scanned : At;
}

/// <summary>Staff end an active pass (or a pass waiting in line or for approval).</summary>
public sealed record EndPass(PassId Pass, DateTimeOffset At, Actor Actor, string? Comment = null) : BuildingCommand(At, Actor);

/// <summary>The student leaves the line or withdraws a request; staff cancel a scheduled pass.</summary>
public sealed record CancelPass(PassId Pass, DateTimeOffset At, Actor Actor) : BuildingCommand(At, Actor);

/// <summary>Time has moved on: flag overdue passes, end forgotten ones, expire claims and approvals, start scheduled passes.</summary>
public sealed record Advance(DateTimeOffset At) : BuildingCommand(At, Actor.System);
