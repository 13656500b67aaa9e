namespace PassTrack.Rules.Emergencies;

public enum EmergencyKind
{
    Lockdown,
    FireDrill,
}

/// <summary>A student who was out when the emergency began, and whether they have been seen since.</summary>
public sealed record StudentOut(StudentId Student, PassId Pass, RoomId Origin, DestinationId Destination)
{
    public DateTimeOffset? AccountedAt { get; init; }

    public RoomId? AccountedIn { get; init; }
}

/// <summary>A lockdown or fire drill in force, with the students who were out when it began.</summary>
public sealed class Emergency
{
    private readonly Dictionary<StudentId, StudentOut> _studentsOut;

    internal Emergency(EmergencyStarted started)
    {
        Kind = started.Kind;
        StartedAt = started.At;
        StartedBy = started.Actor;
        _studentsOut = started.StudentsOut.ToDictionary(s => s.Student);
    }

    public EmergencyKind Kind { get; }

    public DateTimeOffset StartedAt { get; }

    public Actor StartedBy { get; }

    public IReadOnlyCollection<StudentOut> StudentsOut => _studentsOut.Values;

    public IEnumerable<StudentOut> Unaccounted => _studentsOut.Values.Where(s => s.AccountedAt is null);

    internal bool WasOut(StudentId student, out StudentOut entry) => _studentsOut.TryGetValue(student, out entry!);

    internal void AccountFor(StudentAccountedFor e) =>
        _studentsOut[e.Student] = _studentsOut[e.Student] with { AccountedAt = e.At, AccountedIn = e.Room };
}

/// <summary>Every open pass was closed; <see cref="StudentsOut"/> is who was in the halls at that moment.</summary>
public sealed record EmergencyStarted(EmergencyKind Kind, Actor Actor, IReadOnlyList<StudentOut> StudentsOut) : BuildingEvent;

public sealed record EmergencyCleared(EmergencyKind Kind, Actor Actor) : BuildingEvent;

/// <summary>A student who was out when the emergency began tapped in at a kiosk.</summary>
public sealed record StudentAccountedFor(StudentId Student, RoomId Room) : BuildingEvent;
