using PassTrack.Rules.Configuration;

namespace PassTrack.Rules.Summons;

public enum SummonsPriority
{
    Routine,
    Urgent,
    Emergency,
}

public enum SummonsState
{
    Pending,
    Acknowledged,
    Cancelled,
    Expired,
}

/// <summary>A student called to the office, a counselor, the dean or the nurse.</summary>
public sealed class StudentSummons
{
    internal StudentSummons(StudentSummoned e)
    {
        Id = e.Summons;
        Student = e.Student;
        Destination = e.Destination;
        Priority = e.Priority;
        DeliverTo = e.DeliverTo;
        SummonedBy = e.Actor;
        SummonedAt = e.At;
        Note = e.Note;
    }

    public SummonsId Id { get; }

    public StudentId Student { get; }

    public DestinationId Destination { get; }

    public SummonsPriority Priority { get; }

    /// <summary>The room whose kiosk plays the alert: where the student should be now.</summary>
    public RoomId? DeliverTo { get; }

    public Actor SummonedBy { get; }

    public DateTimeOffset SummonedAt { get; }

    public string? Note { get; }

    public SummonsState State { get; internal set; } = SummonsState.Pending;

    public PassId? Pass { get; internal set; }
}

public sealed record StudentSummoned(
    SummonsId Summons,
    StudentId Student,
    DestinationId Destination,
    SummonsPriority Priority,
    RoomId? DeliverTo,
    Actor Actor,
    string? Note) : BuildingEvent;

public sealed record SummonsClosed(SummonsId Summons, SummonsState State, Actor Actor, PassId? Pass) : BuildingEvent;

/// <summary>Where a summons is sent: a named destination, or a kind of place (with a counselor's specialty).</summary>
public sealed record SummonsTarget(DestinationKind Kind, DestinationId? Destination = null, string? Specialty = null);
