using PassTrack.Contracts.Passes;
using PassTrack.Rules.Configuration;
using PassTrack.Rules.Passes;
using PassTrack.Rules.Queues;
using PassTrack.Rules.Students;

namespace PassTrack.Rules;

// The passes themselves: where they are kept, the counts kept beside them, and how transitions change both.
public sealed partial class Building
{
    private readonly Dictionary<PassId, Pass> _passes = [];
    private readonly Dictionary<PassId, Pass> _closedToday = [];
    private readonly Queue<PassId> _closedOrder = new();
    private readonly Dictionary<StudentId, PassId> _openByStudent = [];
    private readonly Dictionary<DestinationId, DestinationLoad> _loads = [];
    private readonly Dictionary<RoomId, int> _outByRoom = [];
    private readonly Dictionary<StudentId, StudentTally> _tallies = [];
    private readonly HashSet<(StudentId, RoomId, string)> _tardies = [];
    private int _inHalls;

    /// <summary>Passes not yet over: active, queued, pending approval and scheduled.</summary>
    public IReadOnlyCollection<Pass> OpenPasses => _passes.Values;

    public IEnumerable<Pass> ActivePasses => _passes.Values.Where(p => p.State == PassState.Active);

    /// <summary>
    /// At most this many closed passes stay in memory, the latest to end. No rule reads them (the tallies keep what the
    /// limits and cooldown need); they only spare the API a trip to the store, which holds every pass.
    /// </summary>
    public const int MaxClosedKept = 5_000;

    /// <summary>
    /// Passes that ended today (local day of the building), the latest <see cref="MaxClosedKept"/> of them. Earlier
    /// days, and today's older ones on a very busy day, live in the store.
    /// </summary>
    public IReadOnlyCollection<Pass> ClosedToday => _closedToday.Values;

    public Pass? FindPass(PassId id) => _passes.GetValueOrDefault(id) ?? _closedToday.GetValueOrDefault(id);

    /// <summary>The student's active, queued or pending pass.</summary>
    public Pass? OpenPassOf(StudentId student) =>
        _openByStudent.TryGetValue(student, out var id) ? _passes[id] : null;

    /// <summary>Students at a destination now, plus places held for the head of its line.</summary>
    public int Occupancy(DestinationId destination) =>
        _loads.TryGetValue(destination, out var load) ? load.Active + load.Offered : 0;

    public int ActiveAt(DestinationId destination) => _loads.TryGetValue(destination, out var load) ? load.Active : 0;

    public int OutFrom(RoomId room) => _outByRoom.GetValueOrDefault(room);

    public int InHalls => _inHalls;

    /// <summary>Passes taken today, as counted for the daily limit.</summary>
    public int PassesToday(StudentId student, DateTimeOffset at) =>
        _tallies.TryGetValue(student, out var t) && t.Day == DayAt(at).Date ? t.DayCount : 0;

    public int PassesThisWeek(StudentId student, DateTimeOffset at) =>
        _tallies.TryGetValue(student, out var t) && t.Week == SchoolDay.WeekStart(DayAt(at).Date) ? t.WeekCount : 0;

    public bool WasTardy(StudentId student, RoomId room, string period) => _tardies.Contains((student, room, period));

    private DestinationLoad Load(DestinationId destination)
    {
        if (!_loads.TryGetValue(destination, out var load))
        {
            _loads[destination] = load = new DestinationLoad();
        }
        return load;
    }

    private void ApplyCreated(PassCreated e)
    {
        _passes.Add(e.Pass, new Pass(e));
        _lastPassId = Math.Max(_lastPassId, e.Pass.Value);
        if (e.Recurring is { } recurring && e.ScheduledFor is { } when)
        {
            _recurringLastDate[recurring] = DayAt(when).Date;
        }
    }

    private void ApplyTransition(PassTransitioned e)
    {
        var pass = _passes[e.Pass];
        if (pass.State != e.From)
        {
            throw new InvalidOperationException($"Pass {e.Pass} is {pass.State}, not {e.From}.");
        }
        if (pass.State is { } from)
        {
            Leave(pass, from);
        }
        pass.State = e.To;
        Enter(pass, e);
    }

    private void Leave(Pass pass, PassState state)
    {
        switch (state)
        {
            case PassState.Active:
                var load = Load(pass.Destination);
                load.Active--;
                _outByRoom[pass.Origin]--;
                _inHalls--;
                break;
            case PassState.Queued:
                var queue = Load(pass.Destination);
                queue.Queue.Remove(pass.Id);
                if (pass.ClaimBy is not null)
                {
                    queue.Offered--;
                    pass.ClaimBy = null;
                }
                break;
            case PassState.PendingApproval:
                pass.ApprovalBy = null;
                break;
            default:
                break;
        }
    }

    private void Enter(Pass pass, PassTransitioned e)
    {
        switch (e.To)
        {
            case PassState.Active:
                var start = e.Start ?? throw new InvalidOperationException($"Pass {pass.Id} started without its clock.");
                Load(pass.Destination).Active++;
                _outByRoom[pass.Origin] = _outByRoom.GetValueOrDefault(pass.Origin) + 1;
                _inHalls++;
                pass.StartedAt = e.At;
                pass.TimeLimit = start.TimeLimit;
                pass.AutoEndAt = start.AutoEndAt;
                pass.Exemptions = start.Exemptions;
                pass.OverrideComment = start.OverrideComment;
                if (start.Counted)
                {
                    Tally(pass.Student).Count(DayAt(e.At).Date);
                }
                break;
            case PassState.Queued:
                Load(pass.Destination).Queue.Add(pass.Id);
                pass.QueuedAt = e.At;
                break;
            case PassState.PendingApproval:
                var approval = e.Approval ?? throw new InvalidOperationException($"Pass {pass.Id} waits for nobody.");
                pass.ApprovalRoute = approval.Route;
                pass.ApprovalReason = approval.Reason;
                pass.ApprovalBy = approval.Deadline;
                pass.CarriedExemptions = approval.Carried;
                pass.CarriedOverrideComment = approval.OverrideComment;
                break;
            default:
                break;
        }

        if (e.To.IsOpen())
        {
            _openByStudent[pass.Student] = pass.Id;
        }
        else if (_openByStudent.TryGetValue(pass.Student, out var open) && open == pass.Id)
        {
            _openByStudent.Remove(pass.Student);
        }

        if (e.To.IsTerminal())
        {
            pass.EndedAt = e.At;
            pass.EndCause = e.Cause;
            pass.EndedBy = e.Actor;
            pass.NeverArrived = e.NeverArrived;
            pass.NeedsReview = e.NeedsReview;
            if (e.From == PassState.Active)
            {
                Tally(pass.Student).LastEndedAt = e.At;
            }
            _passes.Remove(pass.Id);
            KeepClosed(pass);
        }
    }

    private void KeepClosed(Pass pass)
    {
        _closedToday[pass.Id] = pass;
        _closedOrder.Enqueue(pass.Id);
        if (_closedOrder.Count > MaxClosedKept)
        {
            _closedToday.Remove(_closedOrder.Dequeue());
        }
    }

    private void ApplyArrival(PassArrival e)
    {
        var pass = _passes[e.Pass];
        if (e.WrongDestination)
        {
            pass.WrongDestination = true;
            return;
        }
        pass.ArrivedAt = e.At;
        pass.ArrivedIn = e.Room;
    }

    private StudentTally Tally(StudentId student)
    {
        if (!_tallies.TryGetValue(student, out var tally))
        {
            _tallies[student] = tally = new StudentTally();
        }
        return tally;
    }

    private Pass CreatePass(PassCreated created, DateTimeOffset at)
    {
        Emit(created, at);
        return _passes[created.Pass];
    }

    private PassId NextPassId => new(_lastPassId + 1);

    private void Transition(Pass pass, PassState to, TransitionCause cause, Actor actor, DateTimeOffset at, ReasonCode reason = ReasonCode.Ok, string? comment = null)
    {
        var neverArrived = false;
        if (pass.State == PassState.Active && to.IsTerminal() && pass.ArrivedAt is null
            && _destinations.TryGetValue(pass.Destination, out var d) && d.ArrivalRoom is not null)
        {
            neverArrived = true;
        }
        Emit(new PassTransitioned(pass.Id, pass.State, to, cause, actor)
        {
            Reason = reason,
            NeverArrived = neverArrived,
            NeedsReview = cause == TransitionCause.AutoEnded,
            Comment = comment,
        }, at);
    }

    /// <summary>Starts a pass: its time limit (with any extra time the student's plan gives) and when it will be ended if forgotten.</summary>
    private void Activate(Pass pass, Student student, Destination destination, TransitionCause cause, Actor actor, DateTimeOffset at, Exemptions exemptions, string? overrideComment, ReasonCode reason = ReasonCode.Ok)
    {
        var limit = destination.TimeLimit;
        if (student.Profile.Accommodations.ExtraTime.TryGetValue(destination.Kind, out var extra))
        {
            limit += extra;
        }
        var dueBack = at + limit;
        var autoEnd = dueBack + _policy.AutoEndAfterOverdue;
        if (_policy.AutoEndAtPeriodEnd && DayAt(at).PeriodAt(at) is { } period && period.End > dueBack)
        {
            autoEnd = period.End;
        }
        Emit(new PassTransitioned(pass.Id, pass.State, PassState.Active, cause, actor)
        {
            Reason = reason,
            Start = new PassStart(limit, autoEnd, exemptions, overrideComment, destination.CountsTowardLimits),
        }, at);
    }

    /// <summary>Per student: passes taken today and this week, and when the last one ended (for cooldown).</summary>
    private sealed class StudentTally
    {
        public DateOnly Day { get; private set; }

        public int DayCount { get; private set; }

        public DateOnly Week { get; private set; }

        public int WeekCount { get; private set; }

        public DateTimeOffset? LastEndedAt { get; set; }

        public void Count(DateOnly date)
        {
            if (date != Day)
            {
                Day = date;
                DayCount = 0;
            }
            DayCount++;
            var week = SchoolDay.WeekStart(date);
            if (week != Week)
            {
                Week = week;
                WeekCount = 0;
            }
            WeekCount++;
        }
    }
}
