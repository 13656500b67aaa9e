using PassTrack.Contracts.Passes;
using PassTrack.Rules.Decisions;
using PassTrack.Rules.Passes;
using PassTrack.Rules.Summons;

namespace PassTrack.Rules;

// What happens because time passes. The host calls Advance from a TimeProvider timer; nothing here reads a clock.
public sealed partial class Building
{
    private Decision HandleAdvance(Advance c)
    {
        var at = c.At;
        IssueRecurringPasses(at);

        var freed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var pass in _passes.Values.OrderBy(p => p.Id.Value).ToList())
        {
            if (!_passes.ContainsKey(pass.Id))
            {
                continue;
            }
            switch (pass.State)
            {
                case PassState.Active:
                    if (!pass.Overdue && at >= pass.DueBack)
                    {
                        Emit(new PassOverdue(pass.Id, pass.Student, pass.Origin, pass.Destination), at);
                    }
                    if (at >= pass.AutoEndAt)
                    {
                        // Forgotten passes end on their own and are marked for staff to review.
                        Transition(pass, PassState.Terminated, TransitionCause.AutoEnded, Actor.System, at);
                        freed.Add(pass.Destination.Value);
                    }
                    break;
                case PassState.Queued when pass.ClaimBy is { } claimBy && at >= claimBy:
                    Transition(pass, PassState.Expired, TransitionCause.ClaimExpired, Actor.System, at, ReasonCode.ClaimWindowExpired);
                    freed.Add(pass.Destination.Value);
                    break;
                case PassState.PendingApproval when at >= pass.ApprovalBy:
                    Transition(pass, PassState.Expired, TransitionCause.ApprovalTimedOut, Actor.System, at, ReasonCode.ApprovalTimedOut);
                    break;
                case PassState.Scheduled when at >= pass.ScheduledFor:
                    TryStartScheduled(pass, at);
                    break;
                default:
                    break;
            }
        }
        foreach (var destination in freed)
        {
            OfferFreedPlaces(new DestinationId(destination), at);
        }

        // Summons not answered by the end of their school day lapse.
        var today = DayAt(at).Date;
        foreach (var summons in _summons.Values.Where(s => s.State == SummonsState.Pending && DayAt(s.SummonedAt).Date < today).OrderBy(s => s.Id.Value).ToList())
        {
            Emit(new SummonsClosed(summons.Id, SummonsState.Expired, Actor.System, null), at);
        }
        return Accepted();
    }
}
