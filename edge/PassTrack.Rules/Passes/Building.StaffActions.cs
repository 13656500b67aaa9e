using PassTrack.Contracts.Passes;
using PassTrack.Rules.Decisions;
using PassTrack.Rules.Passes;

namespace PassTrack.Rules;

// Staff ending a pass, and a student or staff withdrawing one that has not started.
public sealed partial class Building
{
    private Decision HandleEnd(EndPass c)
    {
        if (c.Actor.Kind != ActorKind.Staff || !c.Actor.Can(StaffPermissions.EndPasses))
        {
            return Reject(ReasonCode.NotPermitted);
        }
        if (!_passes.TryGetValue(c.Pass, out var pass))
        {
            return Reject(ReasonCode.PassNotFound);
        }
        var destination = pass.Destination;
        if (pass.State == PassState.Active)
        {
            Transition(pass, PassState.Ended, TransitionCause.EndedByStaff, c.Actor, c.At, ReasonCode.Ok, c.Comment);
        }
        else
        {
            Transition(pass, PassState.Cancelled, TransitionCause.CancelledByStaff, c.Actor, c.At, ReasonCode.Ok, c.Comment);
        }
        OfferFreedPlaces(destination, c.At);
        return Accepted();
    }

    private Decision HandleCancel(CancelPass c)
    {
        if (!_passes.TryGetValue(c.Pass, out var pass))
        {
            return Reject(ReasonCode.PassNotFound);
        }
        var byStaff = c.Actor.Kind == ActorKind.Staff;
        if (byStaff ? !c.Actor.Can(StaffPermissions.CreatePasses) : !IsStudentOrKioskOf(pass, c.Actor))
        {
            return Reject(ReasonCode.NotPermitted);
        }
        if (pass.State == PassState.Active)
        {
            return Reject(ReasonCode.InvalidTransition);
        }
        var destination = pass.Destination;
        Transition(pass, PassState.Cancelled, byStaff ? TransitionCause.CancelledByStaff : TransitionCause.CancelledByStudent, c.Actor, c.At);
        OfferFreedPlaces(destination, c.At);
        return Accepted();
    }
}
