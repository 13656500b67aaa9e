using PassTrack.Contracts.Passes;
using PassTrack.Rules.Decisions;
using PassTrack.Rules.Emergencies;
using PassTrack.Rules.Passes;

namespace PassTrack.Rules;

// Lockdown and fire drill: one action closes every open pass, lists who was out, and blocks new passes until cleared.
public sealed partial class Building
{
    private Emergency? _emergency;

    public Emergency? Emergency => _emergency;

    private Decision HandleStartEmergency(StartEmergency c)
    {
        if (c.Actor.Kind != ActorKind.Staff || !c.Actor.Can(StaffPermissions.Emergency))
        {
            return Reject(ReasonCode.NotPermitted);
        }
        // Switching from one emergency to another keeps everyone not yet accounted for on the list.
        var stillOut = new List<StudentOut>();
        if (_emergency is { } current)
        {
            if (current.Kind == c.Kind)
            {
                return Accepted();
            }
            stillOut.AddRange(current.Unaccounted.OrderBy(s => s.Pass.Value));
            Emit(new EmergencyCleared(current.Kind, c.Actor), c.At);
        }

        var students = stillOut.Concat(_passes.Values
            .Where(p => p.State == PassState.Active)
            .OrderBy(p => p.Id.Value)
            .Select(p => new StudentOut(p.Student, p.Id, p.Origin, p.Destination)))
            .ToList();
        Emit(new EmergencyStarted(c.Kind, c.Actor, students), c.At);

        var cause = c.Kind == EmergencyKind.Lockdown ? TransitionCause.Lockdown : TransitionCause.FireDrill;
        var reason = EmergencyReason(c.Kind);
        foreach (var pass in _passes.Values.Where(p => p.State.HasValue && p.State.Value.IsOpen()).OrderBy(p => p.Id.Value).ToList())
        {
            var to = pass.State == PassState.Active ? PassState.Terminated : PassState.Cancelled;
            Transition(pass, to, cause, c.Actor, c.At, reason);
        }
        return Accepted();
    }

    private Decision HandleClearEmergency(ClearEmergency c)
    {
        if (c.Actor.Kind != ActorKind.Staff || !c.Actor.Can(StaffPermissions.Emergency))
        {
            return Reject(ReasonCode.NotPermitted);
        }
        if (_emergency is not { } current)
        {
            return Reject(ReasonCode.InvalidTransition);
        }
        Emit(new EmergencyCleared(current.Kind, c.Actor), c.At);
        return Accepted();
    }
}
