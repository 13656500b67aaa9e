using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PassTrack.Contracts.Protocol;
using PassTrack.Kiosk.Updates;

namespace PassTrack.Kiosk.Tests.Updates;

/// <summary>
/// The agent's trial on a fake clock and real files: a version on trial is kept only after it has stayed linked and
/// healthy without a break, and one that never gets there is switched back at its deadline and restarted out of.
/// Each outcome reaches the edge once the link is up, and is kept on disk until then.
/// </summary>
public sealed class UpdateAgentTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("passtrack-agent-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 6, 0, 0, TimeSpan.Zero));
    private readonly List<UpdateReport> _reported = [];
    private readonly List<string> _restarts = [];
    private bool _linked;
    private bool _healthy;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>1.0.0 was running; 1.1.0 is installed beside it and switched to, on a five-minute trial.</summary>
    private UpdateStore OnTrial()
    {
        var store = new UpdateStore(_root, null, _clock);
        // Staged as an install leaves them (a keep tidies away whatever else is there, so 1.1.0 comes after).
        Directory.CreateDirectory(Path.Combine(_root, "versions", "1.0.0"));
        store.Switch("1.0.0", TimeSpan.FromMinutes(5));
        store.ConfirmHealthy("1.0.0");
        store.Reported(store.Outcome!);
        Directory.CreateDirectory(Path.Combine(_root, "versions", "1.1.0"));
        store.Switch("1.1.0", TimeSpan.FromMinutes(5));
        return store;
    }

    private UpdateAgent Agent(UpdateStore store) => new(
        store,
        "1.1.0",
        new Uri("http://edge.invalid:8080"),
        TimeSpan.FromMinutes(5),
        new UpdateAgentHooks(
            (report, _) =>
            {
                _reported.Add(report);
                return Task.FromResult(_linked);
            },
            () => _linked,
            () => _healthy,
            () => true,
            why => _restarts.Add(why)),
        _clock,
        NullLogger.Instance)
    {
        HealthyFor = TimeSpan.FromSeconds(30),
    };

    [Fact]
    public async Task A_version_on_trial_is_kept_only_after_staying_linked_and_healthy_without_a_break()
    {
        var store = OnTrial();
        using var agent = Agent(store);
        _linked = _healthy = true;

        await agent.CheckAsync(Ct);
        _clock.Advance(TimeSpan.FromSeconds(20));
        await agent.CheckAsync(Ct);
        Assert.NotNull(store.Pending);

        // The link drops before the 30 s are up: the count starts again when it is back.
        _linked = false;
        await agent.CheckAsync(Ct);
        _linked = true;
        await agent.CheckAsync(Ct);
        _clock.Advance(TimeSpan.FromSeconds(20));
        await agent.CheckAsync(Ct);
        Assert.NotNull(store.Pending);
        Assert.Empty(_reported);

        _clock.Advance(TimeSpan.FromSeconds(11));
        await agent.CheckAsync(Ct);

        Assert.Null(store.Pending);
        Assert.Equal("1.1.0", store.CurrentVersion);
        var report = Assert.Single(_reported);
        Assert.Equal(("1.1.0", UpdateStage.Healthy), (report.Version, report.Stage));
        Assert.Null(store.Outcome);
        Assert.Empty(_restarts);
    }

    [Fact]
    public async Task A_version_that_never_gets_healthy_switches_back_at_its_deadline_restarts_and_reports_once_linked()
    {
        var store = OnTrial();
        using var agent = Agent(store);
        // Running, but never linked to its edge.
        _healthy = true;
        await agent.CheckAsync(Ct);
        _clock.Advance(TimeSpan.FromMinutes(4));
        await agent.CheckAsync(Ct);
        Assert.Equal("1.1.0", store.CurrentVersion);

        _clock.Advance(TimeSpan.FromMinutes(2));
        await agent.CheckAsync(Ct);

        Assert.Equal("1.0.0", store.CurrentVersion);
        Assert.Null(store.Pending);
        Assert.Equal(["rolling back"], _restarts);
        // Not linked: the outcome waits on disk for the version that starts next.
        Assert.Empty(_reported);
        var outcome = store.Outcome!;
        Assert.Equal(("1.1.0", UpdateStage.RolledBack), (outcome.Version, outcome.Stage));
        Assert.Contains("back to 1.0.0", outcome.Detail, StringComparison.Ordinal);

        _linked = true;
        await agent.CheckAsync(Ct);
        Assert.Equal(UpdateStage.RolledBack, Assert.Single(_reported).Stage);
        Assert.Null(store.Outcome);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
