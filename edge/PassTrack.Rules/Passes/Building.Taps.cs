using PassTrack.Contracts.Passes;
using PassTrack.Rules.Configuration;
using PassTrack.Rules.Decisions;
using PassTrack.Rules.Emergencies;
using PassTrack.Rules.Passes;
using PassTrack.Rules.Students;

namespace PassTrack.Rules;

// A card, code or number at a kiosk: a return, an arrival, a claim, a summons acknowledged, or the start of a request.
public sealed partial class Building
{
    private Decision HandleTap(Tap t)
    {
        if (!_kiosks.TryGetValue(t.Kiosk, out var kiosk) || !kiosk.InService || !_rooms.TryGetValue(kiosk.Room!.Value, out var room))
        {
            return Refuse(t, ReasonCode.KioskNotBound, null);
        }
        if (!_credentials.TryGetValue(t.Credential, out var studentId))
        {
            // Staff cards work in an emergency too: that is when they are needed.
            if (t.Credential.Kind != CredentialKind.StudentNumber && FindStaff(t.Credential) is { } member)
            {
                return StaffIdentified(member);
            }
            return Refuse(t, ReasonCode.UnknownCredential, null, room);
        }
        var student = _students[studentId];
        if (!student.Enrolled)
        {
            return Refuse(t, ReasonCode.StudentNotEnrolled, student, room);
        }

        if (_emergency is { } emergency)
        {
            // Someone who was in the halls when it began has reached a room: tell staff they are safe.
            if (emergency.WasOut(student.Id, out var entry) && entry.AccountedAt is null)
            {
                Emit(new StudentAccountedFor(student.Id, room.Id), t.At);
                return Answer(Outcome.Status, ReasonCode.AccountedFor, student, room: room);
            }
            return Refuse(t, EmergencyReason(emergency.Kind), student, room);
        }

        if (_openByStudent.TryGetValue(student.Id, out var openId))
        {
            var pass = _passes[openId];
            return pass.State switch
            {
                PassState.Active => TapWhileOut(pass, student, room, t),
                PassState.Queued when pass.ClaimBy is not null => Claim(pass, t.At, t.Actor),
                PassState.Queued => Answer(Outcome.Status, ReasonCode.WaitingInQueue, student, pass),
                _ => Answer(Outcome.Status, ReasonCode.WaitingForApproval, student, pass),
            };
        }

        if (PendingSummonsOf(student.Id) is { } summons)
        {
            return AcknowledgeSummons(summons, student, room, t.At, t.Actor);
        }

        if (room.TardyMode && TardyAt(student, room, t.At) is { } late)
        {
            return late;
        }

        // Say no before the student picks a destination when the answer cannot depend on it.
        var ignored = Exemptions.None;
        if (CalendarBlocker(student, room, t.At, ref ignored, out var wait) is { } reason)
        {
            return Refuse(t, reason, student, room, null, PassSource.Kiosk, wait);
        }
        return Answer(Outcome.Identified, ReasonCode.Ok, student, room: room);
    }

    /// <summary>A tap by a student who is out: back at the origin, in at the destination, at the wrong place, or somewhere else.</summary>
    private Decision TapWhileOut(Pass pass, Student student, Room room, Tap t)
    {
        var destination = _destinations[pass.Destination];
        if (room.Id == pass.Origin)
        {
            return Return(pass, student, room, t.EffectiveScanTime, t.Actor, t.At);
        }
        var at = Later(t.EffectiveScanTime, pass.StartedAt!.Value);
        if (destination.ArrivalRoom == room.Id)
        {
            if (pass.ArrivedAt is not null)
            {
                return Answer(Outcome.Arrived, ReasonCode.AlreadyArrived, student, pass, destination, room);
            }
            Emit(new PassArrival(pass.Id, room.Id, destination.Id, false, at - pass.StartedAt.Value), at);
            if (destination.OneWay)
            {
                Transition(pass, PassState.Completed, TransitionCause.ArrivedOneWay, t.Actor, at, ReasonCode.ArrivalRecorded);
                OfferFreedPlaces(destination.Id, t.At);
            }
            return Answer(Outcome.Arrived, ReasonCode.ArrivalRecorded, student, pass, destination, room);
        }
        if (_destinationInRoom.TryGetValue(room.Id, out var elsewhere))
        {
            Emit(new PassArrival(pass.Id, room.Id, elsewhere, true, at - pass.StartedAt.Value), at);
            return Answer(Outcome.Arrived, ReasonCode.WrongDestination, student, pass, destination, room);
        }
        Transition(pass, PassState.Terminated, TransitionCause.CheckedInElsewhere, t.Actor, at, ReasonCode.CheckedInElsewhere);
        OfferFreedPlaces(destination.Id, t.At);
        return new Decision(Outcome.Returned, ReasonCode.CheckedInElsewhere)
        {
            Pass = pass.Id,
            Student = student.Id,
            Language = student.Language,
            Wait = pass.Duration,
            Names = Names(student, destination, room),
        };
    }

    /// <summary>
    /// The student is back. A return replayed after an outage carries the scan's own time, so the pass
    /// completes when the student really came back.
    /// </summary>
    private Decision Return(Pass pass, Student student, Room room, DateTimeOffset scannedAt, Actor actor, DateTimeOffset now)
    {
        var at = Later(scannedAt, pass.StartedAt!.Value);
        Transition(pass, PassState.Completed, TransitionCause.Returned, actor, at, ReasonCode.PassReturned);
        OfferFreedPlaces(pass.Destination, Later(now, at));
        return new Decision(Outcome.Returned, ReasonCode.PassReturned)
        {
            Pass = pass.Id,
            Student = student.Id,
            Language = student.Language,
            Destination = pass.Destination,
            Wait = pass.Duration,
            Names = Names(student, _destinations.GetValueOrDefault(pass.Destination), room),
        };
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>At a kiosk in tardy mode, a student tapping after the bell (plus grace) is recorded late, once a period.</summary>
    private Decision? TardyAt(Student student, Room room, DateTimeOffset at)
    {
        if (DayAt(at).PeriodAt(at) is not { } period)
        {
            return null;
        }
        var late = at - period.Start;
        if (late <= _policy.TardyGrace || _tardies.Contains((student.Id, room.Id, period.Period.Name)))
        {
            return null;
        }
        Emit(new TardyRecorded(student.Id, room.Id, period.Period.Name, late), at);
        return new Decision(Outcome.Status, ReasonCode.TardyRecorded)
        {
            Student = student.Id,
            Language = student.Language,
            Wait = late,
            Names = Names(student, null, room),
        };
    }
}
