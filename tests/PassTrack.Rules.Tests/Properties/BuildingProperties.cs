using FsCheck.Xunit;

namespace PassTrack.Rules.Tests.Properties;

/// <summary>
/// Random sequences of requests, taps, returns, staff actions, configuration changes and time steps. After every
/// step: capacity never exceeded except by recorded exemptions; no two members of an active encounter group out
/// together; at most one open pass per student; lines served in order; nothing active during an emergency; nothing
/// changed without being recorded; and a rebuild from the recorded events equals the live building.
/// </summary>
public class BuildingProperties
{
    [Property(Arbitrary = [typeof(ScenarioArbitrary)], MaxTest = 300, EndSize = 60)]
    public void A_regular_school_day_keeps_every_invariant(Scenario scenario) =>
        new ScenarioRunner(busyDay: false).Run(scenario);

    [Property(Arbitrary = [typeof(ScenarioArbitrary)], MaxTest = 300, EndSize = 60)]
    public void A_busy_day_without_buffers_keeps_every_invariant(Scenario scenario) =>
        new ScenarioRunner(busyDay: true).Run(scenario);
}
