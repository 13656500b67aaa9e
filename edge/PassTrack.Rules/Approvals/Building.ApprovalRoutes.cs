using PassTrack.Rules.Configuration;

namespace PassTrack.Rules;

// Who may approve what.
public sealed partial class Building
{
    /// <summary>Whether the person asking may give the approval the pass needs themselves.</summary>
    private static bool CanApprove(Actor actor, ApprovalRequirement route, Room origin, Destination destination)
    {
        if (actor.Kind != ActorKind.Staff)
        {
            return false;
        }
        if (actor.Can(StaffPermissions.ApproveAnyPass))
        {
            return true;
        }
        if (!actor.Can(StaffPermissions.ApprovePasses))
        {
            return false;
        }
        return route switch
        {
            ApprovalRequirement.None => true,
            ApprovalRequirement.OriginTeacher => origin.Teachers.Contains(actor.Id),
            ApprovalRequirement.DestinationStaff => destination.Staff.Contains(actor.Id),
            _ => true,
        };
    }
}
