using PassTrack.Contracts.Passes;
using PassTrack.Rules.Configuration;
using PassTrack.Rules.Decisions;
using PassTrack.Rules.Passes;
using PassTrack.Rules.Queues;

namespace PassTrack.Rules;

// The virtual line at a full destination: offers when a place frees, the claim window, and moving a line when its destination closes.
public sealed partial class Building
{
    /// <summary>The destination's line in order, offered passes included.</summary>
    public IReadOnlyList<PassId> QueueOf(DestinationId destination) =>
        _loads.TryGetValue(destination, out var load) ? load.Queue : [];

    /// <summary>1 for the first pass still waiting for an offer; 0 for a pass holding an offer.</summary>
    public int QueuePosition(Pass pass)
    {
        if (pass.ClaimBy is not null)
        {
            return 0;
        }
        var position = 1;
        foreach (var id in Load(pass.Destination).Queue)
        {
            if (id == pass.Id)
            {
                return position;
            }
            if (_passes[id].ClaimBy is null)
            {
                position++;
            }
        }
        throw new InvalidOperationException($"Pass {pass.Id} is not in the line for {pass.Destination}.");
    }

    private void ApplyOffer(QueueOfferMade e)
    {
        _passes[e.Pass].ClaimBy = e.ClaimBy;
        Load(e.Destination).Offered++;
    }

    private void ApplyRerouted(PassRerouted e)
    {
        var pass = _passes[e.Pass];
        if (pass.State == PassState.Queued)
        {
            var from = Load(e.From);
            from.Queue.Remove(pass.Id);
            if (pass.ClaimBy is not null)
            {
                from.Offered--;
                pass.ClaimBy = null;
            }
            Load(e.To).Queue.Add(pass.Id);
        }
        pass.Destination = e.To;
        pass.Routing = ReasonCode.RoutedAroundClosedDestination;
    }

    /// <summary>Offers freed places to the line in order. Nothing is offered during an emergency or at a closed destination.</summary>
    private void OfferFreedPlaces(DestinationId destinationId, DateTimeOffset at)
    {
        if (_emergency is not null || !_destinations.TryGetValue(destinationId, out var destination) || !destination.Open
            || !_loads.TryGetValue(destinationId, out var load))
        {
            return;
        }
        foreach (var id in load.Queue)
        {
            if (destination.Capacity is { } capacity && load.Active + load.Offered >= capacity)
            {
                return;
            }
            if (_passes[id].ClaimBy is null)
            {
                Emit(new QueueOfferMade(id, destinationId, at + _policy.ClaimWindow), at);
            }
        }
    }

    private Decision HandleClaim(ClaimPass c)
    {
        if (!_passes.TryGetValue(c.Pass, out var pass))
        {
            return Reject(ReasonCode.PassNotFound);
        }
        var isStaff = c.Actor.Kind == ActorKind.Staff;
        if (isStaff ? !c.Actor.Can(StaffPermissions.CreatePasses) : !IsStudentOrKioskOf(pass, c.Actor))
        {
            return Reject(ReasonCode.NotPermitted);
        }
        return Claim(pass, c.At, c.Actor);
    }

    private bool IsStudentOrKioskOf(Pass pass, Actor actor) =>
        (actor.Kind == ActorKind.Student && actor.Id == pass.Student.Value)
        || (actor.Kind == ActorKind.Kiosk && _kiosks.TryGetValue(new KioskId(actor.Id), out var kiosk) && kiosk.InService);

    /// <summary>The head of the line takes its held place, provided nothing that must be true at the start of any pass is now false.</summary>
    private Decision Claim(Pass pass, DateTimeOffset at, Actor actor)
    {
        var student = _students[pass.Student];
        var destination = _destinations[pass.Destination];
        if (pass.State != PassState.Queued || pass.ClaimBy is null)
        {
            return Answer(Outcome.Status, ReasonCode.WaitingInQueue, student, pass);
        }
        if (at >= pass.ClaimBy)
        {
            // Too late, even if no timer has run since the window closed: the place goes to the next in line.
            Transition(pass, PassState.Expired, TransitionCause.ClaimExpired, Actor.System, at, ReasonCode.ClaimWindowExpired);
            OfferFreedPlaces(destination.Id, at);
            return Answer(Outcome.Refused, ReasonCode.ClaimWindowExpired, student, pass, destination);
        }
        // A scheduled pass that had to wait in line is still pre-arranged when it starts.
        var exemptions = Exemptions.QueueClaim | (pass.Source == PassSource.Scheduled ? Exemptions.Scheduled : Exemptions.None);
        // The place stays held until the window closes, whatever blocks the claim for now.
        if (StartBlocker(student, pass, at, exemptions) is { } blocked)
        {
            return Refuse(at, actor, blocked, student, _rooms[pass.Origin], destination, pass.Source);
        }
        Activate(pass, student, destination, TransitionCause.Claimed, actor, at, exemptions, null, ReasonCode.QueueClaimed);
        return Answer(Outcome.Granted, ReasonCode.QueueClaimed, student, pass, destination);
    }

    /// <summary>
    /// The nearest open destination of the same kind: same section first, then the sections listed as nearby,
    /// then anywhere. Designated restrooms are only for students they are designated to.
    /// </summary>
    private Destination? NearestOpenEquivalent(Destination closed, SectionId? near, Students.Student? student)
    {
        Destination? best = null;
        var bestRank = int.MaxValue;
        var nearby = near is { } n && _sections.TryGetValue(n, out var section) ? section.Nearby : [];
        foreach (var d in _destinations.Values)
        {
            if (d.Id == closed.Id || !d.Open || d.Kind != closed.Kind || IsRestrictedFor(student, d)
                || (d.Designated && (student is null || !student.Profile.DesignatedRestrooms.Contains(d.Id))))
            {
                continue;
            }
            var rank = d.Section == near ? 0
                : d.Section is { } s && IndexOf(nearby, s) is var i and >= 0 ? 1 + i
                : 1000;
            if (rank < bestRank || (rank == bestRank && string.CompareOrdinal(d.Id.Value, best!.Id.Value) < 0))
            {
                best = d;
                bestRank = rank;
            }
        }
        return best;
    }

    private static int IndexOf(IReadOnlyList<SectionId> list, SectionId id)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == id)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>A destination closed: its line and its pending requests move to the nearest open equivalent, or are cancelled.</summary>
    private void RerouteWaitingPasses(Destination closed, DateTimeOffset at, Actor actor)
    {
        var waiting = _passes.Values
            .Where(p => p.Destination == closed.Id && p.State is PassState.Queued or PassState.PendingApproval or PassState.Scheduled)
            .OrderBy(p => p.QueuedAt ?? p.CreatedAt).ThenBy(p => p.Id.Value)
            .ToList();
        var touched = new HashSet<DestinationId>();
        foreach (var pass in waiting)
        {
            var student = _students[pass.Student];
            var alternative = NearestOpenEquivalent(closed, _rooms.GetValueOrDefault(pass.Origin)?.Section ?? closed.Section, student);
            if (alternative is null)
            {
                Transition(pass, PassState.Cancelled, TransitionCause.DestinationClosed, actor, at, ReasonCode.DestinationClosed);
                continue;
            }
            Emit(new PassRerouted(pass.Id, closed.Id, alternative.Id), at);
            touched.Add(alternative.Id);
        }
        foreach (var id in touched.OrderBy(d => d.Value, StringComparer.Ordinal))
        {
            OfferFreedPlaces(id, at);
        }
    }
}
