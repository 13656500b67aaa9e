using PassTrack.Contracts.Passes;
using PassTrack.Rules.Configuration;

namespace PassTrack.Rules.Passes;

/// <summary>What a pass was let through despite a rule, and why. Recorded on the pass when it starts.</summary>
[Flags]
public enum Exemptions
{
    None = 0,
    CapacityByAccommodation = 1 << 0,
    BuffersByAccommodation = 1 << 1,
    LimitsByAccommodation = 1 << 2,
    /// <summary>A staff member overrode rules 3 to 11 (but not encounter prevention) with a comment.</summary>
    StaffOverride = 1 << 3,
    /// <summary>A permitted staff member overrode encounter prevention with a comment.</summary>
    EncounterOverride = 1 << 4,
    /// <summary>Issued by acknowledging a summons: capacity does not apply.</summary>
    Summons = 1 << 5,
    /// <summary>Pre-arranged by staff: buffers, limits, cooldown and the room and hallway caps do not apply.</summary>
    Scheduled = 1 << 6,
    /// <summary>Started by claiming a place the queue had reserved.</summary>
    QueueClaim = 1 << 7,

    /// <summary>Exemptions that let a pass past a full destination.</summary>
    Capacity = CapacityByAccommodation | StaffOverride | Summons,
}

/// <summary>
/// One pass and where it stands. Only the building changes it, by applying events; everyone else reads.
/// </summary>
public sealed class Pass
{
    internal Pass(PassCreated created)
    {
        Id = created.Pass;
        Student = created.Student;
        Origin = created.Origin;
        Destination = created.Destination;
        Requested = created.Requested;
        Source = created.Source;
        CreatedBy = created.Actor;
        CreatedAt = created.At;
        Routing = created.Routing;
        ScheduledFor = created.ScheduledFor;
        Summons = created.Summons;
        Recurring = created.Recurring;
        Comment = created.Comment;
    }

    public PassId Id { get; }

    public StudentId Student { get; }

    public RoomId Origin { get; }

    public DestinationId Destination { get; internal set; }

    /// <summary>What the student asked for, before restroom routing or a closed destination sent them elsewhere.</summary>
    public DestinationId Requested { get; }

    public ReasonCode Routing { get; internal set; }

    public PassSource Source { get; }

    public Actor CreatedBy { get; }

    public DateTimeOffset CreatedAt { get; }

    public string? Comment { get; }

    public SummonsId? Summons { get; }

    public RecurringPassId? Recurring { get; }

    /// <summary>Null until the first transition is applied.</summary>
    public PassState? State { get; internal set; }

    public DateTimeOffset? ScheduledFor { get; }

    public ApprovalRequirement ApprovalRoute { get; internal set; }

    /// <summary>Why the pass waits for approval: the destination needs it, or the student is at a limit.</summary>
    public ReasonCode ApprovalReason { get; internal set; }

    public DateTimeOffset? ApprovalBy { get; internal set; }

    /// <summary>Exemptions granted with the request (a staff override) that apply when the pending pass is approved.</summary>
    public Exemptions CarriedExemptions { get; internal set; }

    public string? CarriedOverrideComment { get; internal set; }

    /// <summary>Set while the head of the queue has a reserved place to claim.</summary>
    public DateTimeOffset? ClaimBy { get; internal set; }

    public DateTimeOffset? QueuedAt { get; internal set; }

    public DateTimeOffset? StartedAt { get; internal set; }

    public TimeSpan TimeLimit { get; internal set; }

    public DateTimeOffset? DueBack => StartedAt + TimeLimit;

    public DateTimeOffset? AutoEndAt { get; internal set; }

    public Exemptions Exemptions { get; internal set; }

    public string? OverrideComment { get; internal set; }

    public bool Overdue { get; internal set; }

    public DateTimeOffset? ArrivedAt { get; internal set; }

    public RoomId? ArrivedIn { get; internal set; }

    public bool WrongDestination { get; internal set; }

    public bool NeverArrived { get; internal set; }

    public bool NeedsReview { get; internal set; }

    public DateTimeOffset? EndedAt { get; internal set; }

    public TransitionCause? EndCause { get; internal set; }

    public Actor? EndedBy { get; internal set; }

    /// <summary>A blocked attempt to start this (scheduled) pass has been logged once already.</summary>
    internal bool BlockedAttemptLogged { get; set; }

    public TimeSpan? Duration => StartedAt is { } start && EndedAt is { } end ? end - start : null;
}
