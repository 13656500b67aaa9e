using PassTrack.Contracts.Passes;
using PassTrack.Rules.Configuration;
using PassTrack.Rules.Decisions;
using PassTrack.Rules.Encounters;
using PassTrack.Rules.Passes;
using PassTrack.Rules.Students;

namespace PassTrack.Rules;

// A request for a pass, through the rules in the order rules.md gives them.
public sealed partial class Building
{
    private Decision HandleRequest(RequestPass r)
    {
        _students.TryGetValue(r.Student, out var student);
        _rooms.TryGetValue(r.Origin, out var origin);
        _destinations.TryGetValue(r.Destination, out var requested);

        var overriding = false;
        var overridingEncounter = false;
        if (r.Source is PassSource.Teacher or PassSource.StaffDashboard
            && (r.Actor.Kind != ActorKind.Staff || !r.Actor.Can(StaffPermissions.CreatePasses)))
        {
            return Reject(ReasonCode.NotPermitted);
        }
        if (r.Override is { } rule)
        {
            if (r.Actor.Kind != ActorKind.Staff || !r.Actor.Can(StaffPermissions.OverrideRules)
                || (rule.IncludingEncounterPrevention && !r.Actor.Can(StaffPermissions.OverrideEncounter)))
            {
                return Reject(ReasonCode.NotPermitted);
            }
            if (string.IsNullOrWhiteSpace(rule.Comment))
            {
                return Reject(ReasonCode.OverrideCommentRequired);
            }
            overriding = true;
            overridingEncounter = rule.IncludingEncounterPrevention;
        }

        // 1. Lockdown and fire drill.
        if (_emergency is { } emergency)
        {
            return Refuse(r, EmergencyReason(emergency.Kind), student, origin, requested, r.Source);
        }

        // 2. Known, enrolled, and not already out (a kiosk request while out is a return).
        if (student is null)
        {
            return Refuse(r, ReasonCode.StudentNotEnrolled, null, origin, requested, r.Source);
        }
        if (!student.Enrolled)
        {
            return Refuse(r, ReasonCode.StudentNotEnrolled, student, origin, requested, r.Source);
        }
        if (origin is null)
        {
            return Refuse(r, ReasonCode.UnknownRoom, student, null, requested, r.Source);
        }
        if (requested is null)
        {
            return Refuse(r, ReasonCode.UnknownDestination, student, origin, null, r.Source);
        }
        if (_openByStudent.TryGetValue(student.Id, out var openId))
        {
            var open = _passes[openId];
            if (open.State == PassState.Active && r.Source == PassSource.Kiosk)
            {
                return Return(open, student, origin, r.At, r.Actor, r.At);
            }
            return Refuse(r, open.State == PassState.Active ? ReasonCode.AlreadyOut : ReasonCode.PassAlreadyWaiting, student, origin, requested, r.Source);
        }

        var exemptions = Exemptions.None;
        if (overriding)
        {
            exemptions |= Exemptions.StaffOverride;
        }
        if (overridingEncounter)
        {
            exemptions |= Exemptions.EncounterOverride;
        }

        // 3 and 4. Testing periods, passes switched off, the calendar, and period buffers.
        if (!overriding && CalendarBlocker(student, origin, r.At, ref exemptions, out var wait) is { } calendarReason)
        {
            return Refuse(r, calendarReason, student, origin, requested, r.Source, wait);
        }

        // 5. Restricted destinations, designated restroom routing, closed destinations.
        var destination = requested;
        var routing = ReasonCode.Ok;
        if (!overriding)
        {
            if (IsRestrictedFor(student, requested) || (requested.Designated && !student.Profile.DesignatedRestrooms.Contains(requested.Id)))
            {
                return Refuse(r, ReasonCode.RestrictedDestination, student, origin, requested, r.Source);
            }
            if (requested.Kind == DestinationKind.Restroom && student.Profile.DesignatedRestrooms.Count > 0)
            {
                if (DesignatedRestroomFor(student, origin) is not { } designated)
                {
                    // Every designated restroom is closed: the student uses the one asked for, and staff see why.
                    routing = ReasonCode.RoutedAroundClosedDestination;
                }
                else if (designated.Id != requested.Id)
                {
                    destination = designated;
                    routing = ReasonCode.RoutedToDesignatedRestroom;
                }
            }
        }
        if (!destination.Open)
        {
            var alternative = NearestOpenEquivalent(destination, origin.Section, student);
            if (alternative is null)
            {
                return Refuse(r, ReasonCode.DestinationClosed, student, origin, destination, r.Source);
            }
            destination = alternative;
            routing = ReasonCode.RoutedAroundClosedDestination;
        }

        // 6. Daily and weekly limits: at the limit, the teacher decides instead of a flat no.
        var approvalRoute = destination.Approval;
        var approvalReason = ReasonCode.ApprovalRequired;
        if (!overriding && destination.CountsTowardLimits)
        {
            var limitReason = LimitReached(student, r.At);
            if (limitReason != ReasonCode.Ok)
            {
                if (student.Profile.Accommodations.ExemptFromDailyLimits)
                {
                    exemptions |= Exemptions.LimitsByAccommodation;
                }
                else
                {
                    approvalRoute = ApprovalRequirement.OriginTeacher;
                    approvalReason = limitReason;
                }
            }
        }

        if (!overriding)
        {
            // 7. Cooldown.
            if (_policy.Cooldown is { } cooldown && _tallies.TryGetValue(student.Id, out var tally)
                && tally.LastEndedAt is { } lastEnded && r.At - lastEnded < cooldown)
            {
                return Refuse(r, ReasonCode.Cooldown, student, origin, destination, r.Source, cooldown - (r.At - lastEnded));
            }

            // 8. Per-classroom out limit.
            if (OutFrom(origin.Id) >= (origin.MaxOut ?? _policy.RoomOutLimit))
            {
                return Refuse(r, ReasonCode.RoomOutLimit, student, origin, destination, r.Source);
            }

            // 9. Building-wide hallway cap.
            if (_policy.BuildingCap is { } cap && _inHalls >= cap)
            {
                return Refuse(r, ReasonCode.BuildingCap, student, origin, destination, r.Source);
            }
        }

        // 10. Encounter prevention. Only a permitted override passes it.
        if (!overridingEncounter && EncounterConflict(student.Id, out var group, out var other))
        {
            Emit(new EncounterAttemptBlocked(student.Id, origin.Id, destination.Id, group.Id, other.Student, other.Id, r.Source), r.At);
            return Refuse(r, ReasonCode.EncounterBlocked, student, origin, destination, r.Source);
        }

        var created = new PassCreated(NextPassId, student.Id, origin.Id, destination.Id, requested.Id, r.Source, r.Actor)
        {
            Routing = routing,
            Comment = r.Override?.Comment,
        };

        // 12 before 11 when both apply: a pass that needs a yes waits for it first, and is checked against capacity when approved.
        if (approvalRoute != ApprovalRequirement.None && !CanApprove(r.Actor, approvalRoute, origin, destination))
        {
            var waiting = CreatePass(created, r.At);
            Emit(new PassTransitioned(waiting.Id, null, PassState.PendingApproval, TransitionCause.AwaitingApproval, r.Actor)
            {
                Reason = approvalReason,
                Approval = new PassApproval(approvalRoute, approvalReason, r.At + _policy.ApprovalTimeout) { Carried = exemptions, OverrideComment = r.Override?.Comment },
            }, r.At);
            return Answer(Outcome.PendingApproval, approvalReason, student, waiting, destination, origin);
        }

        // 11. Destination capacity, with the virtual line.
        if (destination.Capacity is { } capacity && Occupancy(destination.Id) >= capacity && !overriding)
        {
            if (student.Profile.Accommodations.ExemptFromCapacity)
            {
                exemptions |= Exemptions.CapacityByAccommodation;
            }
            else if (r.JoinQueueIfFull)
            {
                var queued = CreatePass(created, r.At);
                Transition(queued, PassState.Queued, TransitionCause.Queued, r.Actor, r.At, ReasonCode.DestinationFull);
                return Answer(Outcome.Queued, ReasonCode.DestinationFull, student, queued, destination, origin);
            }
            else
            {
                return Refuse(r, ReasonCode.DestinationFull, student, origin, destination, r.Source);
            }
        }

        var pass = CreatePass(created, r.At);
        var reason = routing != ReasonCode.Ok ? routing
            : overriding ? ReasonCode.StaffOverride
            : (exemptions & (Exemptions.CapacityByAccommodation | Exemptions.BuffersByAccommodation | Exemptions.LimitsByAccommodation)) != 0 ? ReasonCode.ExemptByAccommodation
            : ReasonCode.Ok;
        Activate(pass, student, destination, TransitionCause.Granted, r.Actor, r.At, exemptions, r.Override?.Comment, reason);
        return Answer(Outcome.Granted, reason, student, pass, destination, origin);
    }

    private static ReasonCode EmergencyReason(Emergencies.EmergencyKind kind) =>
        kind == Emergencies.EmergencyKind.Lockdown ? ReasonCode.Lockdown : ReasonCode.FireDrill;

    /// <summary>Rules 3 and 4, which depend on the time and the room but not the destination.</summary>
    private ReasonCode? CalendarBlocker(Student student, Room origin, DateTimeOffset at, ref Exemptions exemptions, out TimeSpan? wait)
    {
        wait = null;
        var day = DayAt(at);
        var span = day.PeriodAt(at);
        if (span is null)
        {
            if (_policy.PassesOutsidePeriods)
            {
                return null;
            }
            return day.Schedule is null ? ReasonCode.NoSchoolToday : ReasonCode.OutsideClassTime;
        }
        var period = span.Value;
        if (!period.Period.PassesAllowed)
        {
            return ReasonCode.TestingPeriod;
        }
        if (_blackouts.Count > 0)
        {
            foreach (var blackout in _blackouts.Values)
            {
                if (blackout.Date == day.Date && (blackout.Period is null || blackout.Period == period.Period.Name)
                    && (blackout.Room is null || blackout.Room == origin.Id))
                {
                    return blackout.Kind == BlackoutKind.Testing ? ReasonCode.TestingPeriod : ReasonCode.PassesDisabled;
                }
            }
        }
        var schedule = day.Schedule!;
        var intoPeriod = at - period.Start;
        var leftInPeriod = period.End - at;
        if (intoPeriod < schedule.StartBuffer || leftInPeriod <= schedule.EndBuffer)
        {
            if (student.Profile.Accommodations.ExemptFromPeriodBuffers)
            {
                exemptions |= Exemptions.BuffersByAccommodation;
                return null;
            }
            if (intoPeriod < schedule.StartBuffer)
            {
                wait = schedule.StartBuffer - intoPeriod;
                return ReasonCode.PeriodStartBuffer;
            }
            return ReasonCode.PeriodEndBuffer;
        }
        return null;
    }

    private ReasonCode LimitReached(Student student, DateTimeOffset at)
    {
        var limit = student.Profile.DailyLimit ?? _policy.DailyLimit;
        if (PassesToday(student.Id, at) >= limit)
        {
            return ReasonCode.DailyLimitReached;
        }
        if (_policy.WeeklyLimit is { } weekly && PassesThisWeek(student.Id, at) >= weekly)
        {
            return ReasonCode.WeeklyLimitReached;
        }
        return ReasonCode.Ok;
    }

    private static bool IsRestrictedFor(Student? student, Destination destination)
    {
        if (student is null)
        {
            return false;
        }
        var restricted = student.Profile.RestrictedDestinations;
        for (var i = 0; i < restricted.Count; i++)
        {
            if (restricted[i] == destination.Id)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The student's designated restroom to send them to: an open one in their section first.</summary>
    private Destination? DesignatedRestroomFor(Student student, Room origin)
    {
        Destination? fallback = null;
        foreach (var id in student.Profile.DesignatedRestrooms)
        {
            if (_destinations.TryGetValue(id, out var d) && d.Open)
            {
                if (d.Section == origin.Section)
                {
                    return d;
                }
                fallback ??= d;
            }
        }
        return fallback;
    }
}
