using PassTrack.Contracts.Passes;
using PassTrack.Rules.Approvals;
using PassTrack.Rules.Configuration;
using PassTrack.Rules.Decisions;
using PassTrack.Rules.Emergencies;
using PassTrack.Rules.Encounters;
using PassTrack.Rules.Passes;
using PassTrack.Rules.Queues;
using PassTrack.Rules.Scheduling;
using PassTrack.Rules.Students;
using PassTrack.Rules.Summons;

namespace PassTrack.Rules;

/// <summary>
/// The live building: its configuration and every open pass, line, count and emergency, held in memory and changed
/// by one writer. <see cref="Handle"/> decides a command, records what changed as events and applies them; the host
/// commits <see cref="TakeEvents()"/> before it answers. <see cref="Rebuild"/> replays recorded events into the same state.
/// Not thread-safe by design: one loop owns a building.
/// </summary>
public sealed partial class Building
{
    private readonly List<BuildingEvent> _uncommitted = [];
    private long _lastSequence;
    private long _lastPassId;
    private long _lastSummonsId;
    private DateTimeOffset _liveDayEnd = DateTimeOffset.MinValue;
    private SchoolDay? _day;

    public Building(BuildingConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        BuildingId = configuration.BuildingId;
        Name = configuration.Name;
        TimeZone = TimeZoneInfo.FindSystemTimeZoneById(configuration.TimeZoneId);
        LoadConfiguration(configuration);
    }

    public string BuildingId { get; }

    public string Name { get; }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>The sequence number of the last event applied.</summary>
    public long LastSequence => _lastSequence;

    /// <summary>Replays recorded events onto a building made from its starting configuration.</summary>
    public static Building Rebuild(BuildingConfiguration configuration, IEnumerable<BuildingEvent> events)
    {
        var building = new Building(configuration);
        building.Replay(events);
        return building;
    }

    public void Replay(IEnumerable<BuildingEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var e in events)
        {
            Apply(e);
        }
    }

    /// <summary>Decides one command. Its events wait in <see cref="TakeEvents()"/> until the host has stored them.</summary>
    public Decision Handle(BuildingCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command switch
        {
            Tap c => HandleTap(c),
            RequestPass c => HandleRequest(c),
            Advance c => HandleAdvance(c),
            EndPass c => HandleEnd(c),
            CancelPass c => HandleCancel(c),
            ApprovePass c => HandleApprove(c),
            DenyPass c => HandleDeny(c),
            ClaimPass c => HandleClaim(c),
            StartEmergency c => HandleStartEmergency(c),
            ClearEmergency c => HandleClearEmergency(c),
            Summon c => HandleSummon(c),
            CancelSummons c => HandleCancelSummons(c),
            SchedulePass c => HandleSchedule(c),
            SaveRecurringPass c => HandleSaveRecurring(c),
            RemoveRecurringPass c => HandleRemoveRecurring(c),
            Staff.EnrolCard c => HandleEnrolCard(c),
            _ => HandleConfiguration(command),
        };
    }

    /// <summary>Hands over the events recorded since the last call, in order, for the host to commit.</summary>
    public IReadOnlyList<BuildingEvent> TakeEvents()
    {
        if (_uncommitted.Count == 0)
        {
            return [];
        }
        var events = _uncommitted.ToArray();
        _uncommitted.Clear();
        return events;
    }

    /// <summary>As <see cref="TakeEvents()"/>, into the caller's list: no array per command on the host's hot path.</summary>
    public void TakeEvents(List<BuildingEvent> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        into.AddRange(_uncommitted);
        _uncommitted.Clear();
    }

    /// <summary>Events recorded and not yet taken.</summary>
    public int PendingEventCount => _uncommitted.Count;

    private void Emit(BuildingEvent e, DateTimeOffset at)
    {
        e.Stamp(_lastSequence + 1, at);
        Apply(e);
        _uncommitted.Add(e);
    }

    private void Apply(BuildingEvent e)
    {
        if (e.Sequence != _lastSequence + 1)
        {
            throw new InvalidOperationException($"Event {e.Sequence} does not follow {_lastSequence}: the log has a gap or a repeat.");
        }
        _lastSequence = e.Sequence;
        if (e.At >= _liveDayEnd)
        {
            StartNewDay(e.At);
        }

        switch (e)
        {
            case PassCreated x: ApplyCreated(x); break;
            case PassTransitioned x: ApplyTransition(x); break;
            case QueueOfferMade x: ApplyOffer(x); break;
            case PassRerouted x: ApplyRerouted(x); break;
            case PassOverdue x: _passes[x.Pass].Overdue = true; break;
            case PassArrival x: ApplyArrival(x); break;
            case EncounterAttemptBlocked x: ApplyEncounterBlocked(x); break;
            case TardyRecorded x: _tardies.Add((x.Student, x.Room, x.Period)); break;
            case EmergencyStarted x: _emergency = new Emergency(x); break;
            case EmergencyCleared: _emergency = null; break;
            case StudentAccountedFor x: _emergency?.AccountFor(x); break;
            case StudentSummoned x: ApplySummoned(x); break;
            case SummonsClosed x: ApplySummonsClosed(x); break;
            case RecurringPassSaved x: _recurring[x.Recurring.Id] = x.Recurring; break;
            case RecurringPassRemoved x: _recurring.Remove(x.Recurring); break;
            case ConfigurationChanged x: ApplyConfiguration(x); break;
            case RequestRefused: break;
            default: throw new InvalidOperationException($"No way to apply {e.GetType().Name}.");
        }
    }

    /// <summary>Yesterday's closed passes, summons and tardies leave memory; the store keeps them.</summary>
    private void StartNewDay(DateTimeOffset at)
    {
        var day = DayAt(at);
        _liveDayEnd = day.End;
        _closedToday.Clear();
        _closedOrder.Clear();
        _tardies.Clear();
        foreach (var id in _summons.Where(s => s.Value.State != SummonsState.Pending).Select(s => s.Key).ToList())
        {
            _summons.Remove(id);
        }
    }

    /// <summary>The school day containing <paramref name="at"/>, cached: most decisions fall on the same day.</summary>
    private SchoolDay DayAt(DateTimeOffset at)
    {
        if (_day is { } day && day.Contains(at))
        {
            return day;
        }
        day = SchoolDay.For(at, TimeZone, _calendar, _schedules);
        _day = day;
        return day;
    }

    private Decision Answer(Outcome outcome, ReasonCode reason, Student? student, Pass? pass = null, Destination? destination = null, Room? room = null) =>
        new(outcome, reason)
        {
            Pass = pass?.Id,
            Student = student?.Id,
            Language = student?.Language ?? default,
            Destination = destination?.Id ?? pass?.Destination,
            TimeLimit = pass?.State == PassState.Active ? pass.TimeLimit : null,
            Until = pass?.State switch
            {
                PassState.Active => pass.DueBack,
                PassState.Queued => pass.ClaimBy,
                PassState.PendingApproval => pass.ApprovalBy,
                _ => null,
            },
            QueuePosition = pass?.State == PassState.Queued ? QueuePosition(pass) : null,
            Names = Names(student, destination ?? (pass is null ? null : _destinations.GetValueOrDefault(pass.Destination)), room ?? (pass is null ? null : _rooms.GetValueOrDefault(pass.Origin))),
        };

    private static MessageNames Names(Student? student, Destination? destination, Room? room) =>
        student is null && destination is null && room is null
            ? MessageNames.Empty
            : new MessageNames(
                student?.FirstName ?? "",
                student?.FullName ?? "",
                destination?.Name ?? "",
                destination?.SpanishName ?? destination?.Name ?? "",
                room?.Name ?? "");

    /// <summary>Refuses and records the attempt, so staff can see every refusal.</summary>
    private Decision Refuse(BuildingCommand command, ReasonCode reason, Student? student, Room? origin = null, Destination? destination = null, PassSource source = PassSource.Kiosk, TimeSpan? wait = null) =>
        Refuse(command.At, command.Actor, reason, student, origin, destination, source, wait);

    private Decision Refuse(DateTimeOffset at, Actor actor, ReasonCode reason, Student? student, Room? origin, Destination? destination, PassSource source, TimeSpan? wait = null)
    {
        Emit(new RequestRefused(student?.Id, origin?.Id, destination?.Id, reason, source, actor), at);
        return new Decision(Outcome.Refused, reason)
        {
            Student = student?.Id,
            Language = student?.Language ?? default,
            Destination = destination?.Id,
            Wait = wait,
            Names = Names(student, destination, origin),
        };
    }

    /// <summary>Refuses a staff command without recording it: nothing was attempted on a student's behalf.</summary>
    private static Decision Reject(ReasonCode reason) => new(Outcome.Refused, reason);

    private static Decision Accepted() => new(Outcome.Accepted, ReasonCode.Ok);
}
