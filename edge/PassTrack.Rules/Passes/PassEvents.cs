using PassTrack.Contracts.Passes;

namespace PassTrack.Rules.Passes;

/// <summary>Why a pass moved from one state to another.</summary>
public enum TransitionCause
{
    Granted,
    Queued,
    AwaitingApproval,
    Scheduled,
    Approved,
    Denied,
    ApprovalTimedOut,
    Claimed,
    ClaimExpired,
    ScheduledStart,
    ScheduledMissed,
    SummonsAcknowledged,
    Returned,
    ArrivedOneWay,
    CheckedInElsewhere,
    EndedByStaff,
    CancelledByStudent,
    CancelledByStaff,
    Lockdown,
    FireDrill,
    AutoEnded,
    DestinationClosed,
    StudentUnenrolled,
}

/// <summary>How a pass started: its clock and what it was let through.</summary>
public sealed record PassStart(TimeSpan TimeLimit, DateTimeOffset AutoEndAt, Exemptions Exemptions, string? OverrideComment, bool Counted);

/// <summary>
/// What a pass waits for while pending approval, and the exemptions (a staff override and its comment) it keeps
/// for when it is approved.
/// </summary>
public sealed record PassApproval(Configuration.ApprovalRequirement Route, ReasonCode Reason, DateTimeOffset Deadline)
{
    public Exemptions Carried { get; init; }

    public string? OverrideComment { get; init; }
}

/// <summary>A pass came into being. Its first state arrives in the <see cref="PassTransitioned"/> that follows.</summary>
public sealed record PassCreated(
    PassId Pass,
    StudentId Student,
    RoomId Origin,
    DestinationId Destination,
    DestinationId Requested,
    PassSource Source,
    Actor Actor) : BuildingEvent
{
    public ReasonCode Routing { get; init; }

    public DateTimeOffset? ScheduledFor { get; init; }

    public SummonsId? Summons { get; init; }

    public RecurringPassId? Recurring { get; init; }

    public string? Comment { get; init; }
}

/// <summary>A pass changed state. <see cref="From"/> is null for a pass's first state.</summary>
public sealed record PassTransitioned(PassId Pass, PassState? From, PassState To, TransitionCause Cause, Actor Actor) : BuildingEvent
{
    public ReasonCode Reason { get; init; }

    /// <summary>Set when the pass becomes Active.</summary>
    public PassStart? Start { get; init; }

    /// <summary>Set when the pass starts waiting for approval.</summary>
    public PassApproval? Approval { get; init; }

    /// <summary>Set when an Active pass ends without the student ever tapping in at a destination that has a kiosk.</summary>
    public bool NeverArrived { get; init; }

    /// <summary>Set when the pass ended in a way staff should look at (auto-ended).</summary>
    public bool NeedsReview { get; init; }

    public string? Comment { get; init; }
}

/// <summary>An Active pass ran past its time limit. Staff are alerted once.</summary>
public sealed record PassOverdue(PassId Pass, StudentId Student, RoomId Origin, DestinationId Destination) : BuildingEvent;

/// <summary>The student tapped in at a destination's kiosk.</summary>
public sealed record PassArrival(PassId Pass, RoomId Room, DestinationId? ArrivedAt, bool WrongDestination, TimeSpan TravelTime) : BuildingEvent;

/// <summary>A request that changed nothing. Kept so staff can see every attempt.</summary>
public sealed record RequestRefused(StudentId? Student, RoomId? Origin, DestinationId? Destination, ReasonCode Reason, PassSource Source, Actor Actor) : BuildingEvent;

/// <summary>A student arrived after the bell at a kiosk in tardy mode.</summary>
public sealed record TardyRecorded(StudentId Student, RoomId Room, string Period, TimeSpan Late) : BuildingEvent;
