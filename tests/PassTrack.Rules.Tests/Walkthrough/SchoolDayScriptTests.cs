using PassTrack.Rules.Emergencies;
using PassTrack.Rules.Encounters;
using PassTrack.Rules.Queues;
using PassTrack.Walkthrough;

namespace PassTrack.Rules.Tests.Walkthrough;

/// <summary>The README's demo runs this script; it must keep telling the day it claims to tell.</summary>
public class SchoolDayScriptTests
{
    [Fact]
    public void The_demo_day_runs_every_kind_of_decision_through_the_engine()
    {
        var output = new StringWriter();
        var script = new SchoolDayScript(output);

        script.Run();

        foreach (var outcome in new[] { Outcome.Granted, Outcome.Queued, Outcome.PendingApproval, Outcome.Refused, Outcome.Returned, Outcome.Arrived, Outcome.Identified })
        {
            Assert.True(script.Outcomes.GetValueOrDefault(outcome) > 0, $"The demo day shows no {outcome} decision.");
        }
        Assert.Contains(script.Events, e => e is EncounterAttemptBlocked);
        Assert.Contains(script.Events, e => e is QueueOfferMade);
        Assert.Contains(script.Events, e => e is EmergencyStarted { Kind: EmergencyKind.Lockdown, StudentsOut.Count: > 0 });
        Assert.Contains(script.Events, e => e is PassTransitioned { Cause: TransitionCause.ScheduledStart });
        Assert.Contains(script.Events, e => e is PassTransitioned { Cause: TransitionCause.AutoEnded });
        Assert.Contains("You can't start a | pass right now.", output.ToString(), StringComparison.Ordinal);
        var rebuilt = Building.Rebuild(script.Configuration, script.Events);
        Assert.Equal(script.Building.DescribeState(), rebuilt.DescribeState());
    }
}
