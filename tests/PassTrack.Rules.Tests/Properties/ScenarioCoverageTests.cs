using FsCheck.Fluent;
using PassTrack.Rules.Emergencies;
using PassTrack.Rules.Encounters;
using PassTrack.Rules.Queues;
using PassTrack.Rules.Summons;

namespace PassTrack.Rules.Tests.Properties;

/// <summary>
/// The properties only mean something if the random scenarios reach the states they speak of. This checks that a
/// sample of them does: passes start, lines form and are served, encounters are blocked, emergencies happen.
/// </summary>
public class ScenarioCoverageTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Random_scenarios_reach_every_interesting_state(bool busyDay)
    {
        // A fixed seed: the same sample every run, so this check cannot flicker.
        var scenarios = ScenarioArbitrary.Scenario().Generator.Sample(60, new FsCheck.Rnd(20261201UL), 150);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var scenario in scenarios)
        {
            var runner = new ScenarioRunner(busyDay);
            runner.Run(scenario);
            foreach (var e in runner.Events)
            {
                var key = e switch
                {
                    PassTransitioned t => $"{t.To}:{t.Cause}",
                    _ => e.GetType().Name,
                };
                seen[key] = seen.GetValueOrDefault(key) + 1;
            }
        }

        string[] expected =
        [
            "Active:Granted", "Completed:Returned", "Queued:Queued", nameof(QueueOfferMade), "Active:Claimed", "Expired:ClaimExpired",
            "PendingApproval:AwaitingApproval", "Active:Approved", "Expired:ApprovalTimedOut", "Denied:Denied",
            nameof(EncounterAttemptBlocked), nameof(EmergencyStarted), "Terminated:Lockdown", nameof(PassRerouted),
            nameof(PassOverdue), "Terminated:AutoEnded", nameof(StudentSummoned), "Active:SummonsAcknowledged",
            "Scheduled:Scheduled", "Active:ScheduledStart", "Ended:EndedByStaff", "Cancelled:CancelledByStudent",
            "Terminated:CheckedInElsewhere", nameof(PassArrival),
        ];
        var missing = expected.Where(k => !seen.ContainsKey(k)).ToList();
        Assert.True(missing.Count == 0, $"Never reached: {string.Join(", ", missing)}. Seen: {string.Join(", ", seen.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}={k.Value}"))}");
    }
}
