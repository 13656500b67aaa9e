using PassTrack.Contracts.Passes;
using PassTrack.Rules.Decisions;
using PassTrack.Rules.Passes;
using PassTrack.Rules.Scheduling;

namespace PassTrack.Rules;

// Passes staff arrange ahead: one-off and recurring. They start on their own when their time comes.
public sealed partial class Building
{
    private readonly Dictionary<RecurringPassId, DateOnly> _recurringLastDate = [];

    private Decision HandleSchedule(SchedulePass c)
    {
        if (c.Actor.Kind != ActorKind.Staff || !c.Actor.Can(StaffPermissions.CreatePasses))
        {
            return Reject(ReasonCode.NotPermitted);
        }
        if (!_students.TryGetValue(c.Student, out var student) || !student.Enrolled)
        {
            return Reject(ReasonCode.StudentNotEnrolled);
        }
        if (!_rooms.ContainsKey(c.Origin))
        {
            return Reject(ReasonCode.UnknownRoom);
        }
        if (!_destinations.ContainsKey(c.Destination))
        {
            return Reject(ReasonCode.UnknownDestination);
        }
        var pass = CreatePass(new PassCreated(NextPassId, c.Student, c.Origin, c.Destination, c.Destination, PassSource.Scheduled, c.Actor)
        {
            ScheduledFor = c.StartAt,
            Comment = c.Comment,
        }, c.At);
        Transition(pass, PassState.Scheduled, TransitionCause.Scheduled, c.Actor, c.At);
        return new Decision(Outcome.Accepted, ReasonCode.Ok) { Pass = pass.Id, Student = student.Id, Language = student.Language };
    }

    private Decision HandleSaveRecurring(SaveRecurringPass c)
    {
        if (c.Actor.Kind != ActorKind.Staff || !c.Actor.Can(StaffPermissions.CreatePasses))
        {
            return Reject(ReasonCode.NotPermitted);
        }
        var r = c.Recurring;
        if (!_students.ContainsKey(r.Student) || !_rooms.ContainsKey(r.Origin) || !_destinations.ContainsKey(r.Destination))
        {
            return Reject(ReasonCode.InvalidConfiguration);
        }
        Emit(new RecurringPassSaved(r, c.Actor), c.At);
        return Accepted();
    }

    private Decision HandleRemoveRecurring(RemoveRecurringPass c)
    {
        if (c.Actor.Kind != ActorKind.Staff || !c.Actor.Can(StaffPermissions.CreatePasses))
        {
            return Reject(ReasonCode.NotPermitted);
        }
        if (!_recurring.ContainsKey(c.Recurring))
        {
            return Reject(ReasonCode.InvalidConfiguration);
        }
        Emit(new RecurringPassRemoved(c.Recurring, c.Actor), c.At);
        return Accepted();
    }

    /// <summary>Today's occurrences of recurring passes whose time has come become scheduled passes.</summary>
    private void IssueRecurringPasses(DateTimeOffset at)
    {
        var day = DayAt(at);
        if (day.Schedule is null || _recurring.Count == 0)
        {
            return;
        }
        foreach (var r in _recurring.Values.OrderBy(r => r.Id.Value, StringComparer.Ordinal).ToList())
        {
            if (!r.OccursOn(day.Date) || _recurringLastDate.GetValueOrDefault(r.Id) == day.Date
                || !_students.TryGetValue(r.Student, out var student) || !student.Enrolled)
            {
                continue;
            }
            var when = Configuration.SchoolDay.LocalInstant(day.Date, r.LocalTime, TimeZone);
            if (at < when)
            {
                continue;
            }
            var pass = CreatePass(new PassCreated(NextPassId, r.Student, r.Origin, r.Destination, r.Destination, PassSource.Scheduled, Actor.System)
            {
                ScheduledFor = when,
                Recurring = r.Id,
                Comment = r.Comment,
            }, at);
            Transition(pass, PassState.Scheduled, TransitionCause.Scheduled, Actor.System, at);
        }
    }

    /// <summary>
    /// A scheduled pass whose time has come starts if it can. It waits while the student is out or a group member is,
    /// joins the line if the destination is full, and expires (recorded as missed) once its start window has passed.
    /// </summary>
    private void TryStartScheduled(Pass pass, DateTimeOffset at)
    {
        var student = _students[pass.Student];
        var destination = _destinations[pass.Destination];
        if (!destination.Open)
        {
            if (NearestOpenEquivalent(destination, _rooms[pass.Origin].Section, student) is not { } open)
            {
                ExpireIfLate(pass, at);
                return;
            }
            Emit(new Queues.PassRerouted(pass.Id, destination.Id, open.Id), at);
            destination = open;
        }
        if (StartBlocker(student, pass, at, Exemptions.Scheduled, logEveryAttempt: false) is not null)
        {
            ExpireIfLate(pass, at);
            return;
        }
        var exemptions = Exemptions.Scheduled;
        if (destination.Capacity is { } capacity && Occupancy(destination.Id) >= capacity)
        {
            if (!student.Profile.Accommodations.ExemptFromCapacity)
            {
                Transition(pass, PassState.Queued, TransitionCause.Queued, Actor.System, at, ReasonCode.DestinationFull);
                return;
            }
            exemptions |= Exemptions.CapacityByAccommodation;
        }
        Activate(pass, student, destination, TransitionCause.ScheduledStart, Actor.System, at, exemptions, null);
    }

    private void ExpireIfLate(Pass pass, DateTimeOffset at)
    {
        if (at >= pass.ScheduledFor + _policy.ScheduledStartWindow)
        {
            Transition(pass, PassState.Expired, TransitionCause.ScheduledMissed, Actor.System, at);
        }
    }
}
