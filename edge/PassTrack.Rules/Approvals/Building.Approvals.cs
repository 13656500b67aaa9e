using PassTrack.Contracts.Passes;
using PassTrack.Rules.Approvals;
using PassTrack.Rules.Decisions;
using PassTrack.Rules.Passes;

namespace PassTrack.Rules;

// Passes waiting for a yes: routed to the right staff, checked again when approved, expired when nobody answers.
public sealed partial class Building
{
    /// <summary>Pending passes the given staff member may approve.</summary>
    public IEnumerable<Pass> AwaitingApprovalBy(Actor staff) =>
        _passes.Values.Where(p => p.State == PassState.PendingApproval
            && CanApprove(staff, p.ApprovalRoute, _rooms[p.Origin], _destinations[p.Destination]));

    private Decision HandleApprove(ApprovePass c)
    {
        if (!_passes.TryGetValue(c.Pass, out var pass) || pass.State != PassState.PendingApproval)
        {
            return Reject(pass is null ? ReasonCode.PassNotFound : ReasonCode.InvalidTransition);
        }
        var origin = _rooms[pass.Origin];
        var destination = _destinations[pass.Destination];
        if (!CanApprove(c.Actor, pass.ApprovalRoute, origin, destination))
        {
            return Reject(ReasonCode.NotPermitted);
        }
        var student = _students[pass.Student];
        if (!destination.Open)
        {
            return Answer(Outcome.Refused, ReasonCode.DestinationClosed, student, pass, destination, origin);
        }
        // The pass waits on while what blocks it lasts; the approver is told why (an encounter only as "blocked").
        // A staff override given with the request still holds once the pass is approved.
        var exemptions = pass.CarriedExemptions;
        if (StartBlocker(student, pass, c.At, exemptions) is { } blocked)
        {
            return Answer(Outcome.Refused, blocked, student, pass, destination, origin);
        }
        if (destination.Capacity is { } capacity && Occupancy(destination.Id) >= capacity && (exemptions & Exemptions.StaffOverride) == 0)
        {
            if (!student.Profile.Accommodations.ExemptFromCapacity)
            {
                Transition(pass, PassState.Queued, TransitionCause.Approved, c.Actor, c.At, ReasonCode.DestinationFull);
                return Answer(Outcome.Queued, ReasonCode.DestinationFull, student, pass, destination, origin);
            }
            exemptions |= Exemptions.CapacityByAccommodation;
        }
        Activate(pass, student, destination, TransitionCause.Approved, c.Actor, c.At, exemptions, pass.CarriedOverrideComment,
            (exemptions & Exemptions.StaffOverride) != 0 ? ReasonCode.StaffOverride : ReasonCode.Ok);
        return Answer(Outcome.Granted, ReasonCode.Ok, student, pass, destination, origin);
    }

    private Decision HandleDeny(DenyPass c)
    {
        if (!_passes.TryGetValue(c.Pass, out var pass) || pass.State != PassState.PendingApproval)
        {
            return Reject(pass is null ? ReasonCode.PassNotFound : ReasonCode.InvalidTransition);
        }
        if (!CanApprove(c.Actor, pass.ApprovalRoute, _rooms[pass.Origin], _destinations[pass.Destination]))
        {
            return Reject(ReasonCode.NotPermitted);
        }
        Transition(pass, PassState.Denied, TransitionCause.Denied, c.Actor, c.At, ReasonCode.Denied, c.Comment);
        return Answer(Outcome.Refused, ReasonCode.Denied, _students[pass.Student], pass);
    }
}
