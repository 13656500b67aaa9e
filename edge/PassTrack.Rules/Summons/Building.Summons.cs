using PassTrack.Contracts.Passes;
using PassTrack.Rules.Configuration;
using PassTrack.Rules.Decisions;
using PassTrack.Rules.Passes;
using PassTrack.Rules.Students;
using PassTrack.Rules.Summons;

namespace PassTrack.Rules;

// Staff call a student (or a grade) to the office, a counselor, the dean or the nurse; the student's tap issues the pass.
public sealed partial class Building
{
    private readonly Dictionary<SummonsId, StudentSummons> _summons = [];

    /// <summary>Summons still waiting for the student, and today's closed ones.</summary>
    public IReadOnlyCollection<StudentSummons> Summons => _summons.Values;

    public StudentSummons? PendingSummonsOf(StudentId student)
    {
        StudentSummons? first = null;
        foreach (var s in _summons.Values)
        {
            if (s.Student == student && s.State == SummonsState.Pending
                && (first is null || s.Priority > first.Priority || (s.Priority == first.Priority && s.Id.Value < first.Id.Value)))
            {
                first = s;
            }
        }
        return first;
    }

    private Decision HandleSummon(Summon c)
    {
        if (c.Actor.Kind != ActorKind.Staff || !c.Actor.Can(StaffPermissions.Summon))
        {
            return Reject(ReasonCode.NotPermitted);
        }
        if (_emergency is { } emergency)
        {
            return Reject(EmergencyReason(emergency.Kind));
        }
        var students = c.Students.Select(id => _students.GetValueOrDefault(id)).ToList();
        if (students.Any(s => s is null))
        {
            return Reject(ReasonCode.StudentNotEnrolled);
        }
        if (c.Grade is { } grade)
        {
            students.AddRange(_students.Values.Where(s => s.Grade == grade && s.Enrolled).OrderBy(s => s.Id.Value, StringComparer.Ordinal));
        }
        var summoned = 0;
        foreach (var student in students.Distinct())
        {
            if (!student!.Enrolled)
            {
                continue;
            }
            if (SummonsDestination(c.Target, student) is not { } destination)
            {
                return Reject(ReasonCode.UnknownDestination);
            }
            // Summoning again to the same place while the first is unanswered adds nothing.
            if (_summons.Values.Any(s => s.Student == student.Id && s.State == SummonsState.Pending && s.Destination == destination.Id))
            {
                continue;
            }
            Emit(new StudentSummoned(new SummonsId(_lastSummonsId + 1), student.Id, destination.Id, c.Priority, CurrentRoomOf(student, c.At), c.Actor, c.Note), c.At);
            summoned++;
        }
        return summoned > 0 ? Accepted() : Reject(ReasonCode.InvalidTransition);
    }

    /// <summary>
    /// A named destination wins; a counselor summons goes to the counselor of the named specialty, else the student's
    /// own counselor; otherwise the first open destination of that kind.
    /// </summary>
    private Destination? SummonsDestination(SummonsTarget target, Student student)
    {
        if (target.Destination is { } named)
        {
            return _destinations.GetValueOrDefault(named);
        }
        var ofKind = _destinations.Values.Where(d => d.Kind == target.Kind).OrderBy(d => d.Id.Value, StringComparer.Ordinal).ToList();
        if (target.Kind == DestinationKind.Counselor)
        {
            if (target.Specialty is { } specialty
                && ofKind.FirstOrDefault(d => string.Equals(d.Specialty, specialty, StringComparison.OrdinalIgnoreCase)) is { } specialist)
            {
                return specialist;
            }
            if (student.Profile.Counselor is { } own && _destinations.TryGetValue(own, out var counselor))
            {
                return counselor;
            }
        }
        return ofKind.FirstOrDefault(d => d.Open) ?? ofKind.FirstOrDefault();
    }

    /// <summary>Where the student should be now: the timetable's room for this period, else their homeroom.</summary>
    private RoomId? CurrentRoomOf(Student student, DateTimeOffset at)
    {
        if (DayAt(at).PeriodAt(at) is { } period && student.Timetable.TryGetValue(period.Period.Name, out var room))
        {
            return room;
        }
        return student.Homeroom;
    }

    private Decision HandleCancelSummons(CancelSummons c)
    {
        if (c.Actor.Kind != ActorKind.Staff || !c.Actor.Can(StaffPermissions.Summon))
        {
            return Reject(ReasonCode.NotPermitted);
        }
        if (!_summons.TryGetValue(c.Summons, out var summons) || summons.State != SummonsState.Pending)
        {
            return Reject(ReasonCode.InvalidTransition);
        }
        Emit(new SummonsClosed(summons.Id, SummonsState.Cancelled, c.Actor, null), c.At);
        return Accepted();
    }

    /// <summary>The student taps to acknowledge: a pass to the summoning destination starts, past capacity, buffers and limits, never past an encounter group.</summary>
    private Decision AcknowledgeSummons(StudentSummons summons, Student student, Configuration.Room room, DateTimeOffset at, Actor actor)
    {
        var destination = _destinations[summons.Destination];
        if (!destination.Open && NearestOpenEquivalent(destination, room.Section, student) is { } open)
        {
            destination = open;
        }
        if (EncounterConflict(student.Id, out var group, out var other))
        {
            Emit(new Encounters.EncounterAttemptBlocked(student.Id, room.Id, destination.Id, group.Id, other.Student, other.Id, PassSource.Summons), at);
            return Refuse(at, actor, ReasonCode.EncounterBlocked, student, room, destination, PassSource.Summons);
        }
        var pass = CreatePass(new PassCreated(NextPassId, student.Id, room.Id, destination.Id, summons.Destination, PassSource.Summons, actor)
        {
            Summons = summons.Id,
            Routing = destination.Id == summons.Destination ? ReasonCode.Ok : ReasonCode.RoutedAroundClosedDestination,
        }, at);
        Activate(pass, student, destination, TransitionCause.SummonsAcknowledged, actor, at, Exemptions.Summons, null, ReasonCode.SummonsAcknowledged);
        Emit(new SummonsClosed(summons.Id, SummonsState.Acknowledged, actor, pass.Id), at);
        return Answer(Outcome.Granted, ReasonCode.SummonsAcknowledged, student, pass, destination, room);
    }

    private void ApplySummoned(StudentSummoned e)
    {
        _summons[e.Summons] = new StudentSummons(e);
        _lastSummonsId = Math.Max(_lastSummonsId, e.Summons.Value);
    }

    private void ApplySummonsClosed(SummonsClosed e)
    {
        var summons = _summons[e.Summons];
        summons.State = e.State;
        summons.Pass = e.Pass;
    }
}
