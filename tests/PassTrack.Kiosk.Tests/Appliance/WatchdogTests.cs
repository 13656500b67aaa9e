using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Time.Testing;
using PassTrack.Kiosk.Appliance;
using PassTrack.Kiosk.Link;

namespace PassTrack.Kiosk.Tests.Appliance;

public sealed class WatchdogTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new();
    private readonly Notifications _systemd = new();
    private long _scanLoop;
    private long _flow;
    private bool _linkAlive = true;

    private Watchdog NewWatchdog() => new(_systemd, _time, [() => _scanLoop, () => _flow], () => _linkAlive);

    [Fact]
    public async Task Systemd_is_fed_every_half_interval_while_the_loops_go_round()
    {
        using var stop = new CancellationTokenSource();
        var running = NewWatchdog().RunAsync(Interval, stop.Token);

        for (var i = 0; i < 4; i++)
        {
            _scanLoop = _flow = _time.GetTimestamp();
            _time.Advance(Interval / 2);
            await _systemd.NextAsync();
        }

        Assert.All(_systemd.States, s => Assert.Equal("WATCHDOG=1", s));
        await stop.CancelAsync();
        await running;
    }

    public void Dispose() => _systemd.Dispose();

    [Fact]
    public void A_stuck_scan_loop_or_flow_or_a_dead_link_stops_the_feeding()
    {
        var watchdog = NewWatchdog();
        _scanLoop = _flow = _time.GetTimestamp();
        Assert.True(watchdog.Healthy(Interval));

        _time.Advance(TimeSpan.FromSeconds(20));
        _flow = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromSeconds(15));
        Assert.False(watchdog.Healthy(Interval));

        _scanLoop = _flow = _time.GetTimestamp();
        _linkAlive = false;
        Assert.False(watchdog.Healthy(Interval));
    }

    [Fact]
    public void Reconnect_delays_grow_from_the_minimum_to_the_cap_with_jitter()
    {
        var min = TimeSpan.FromSeconds(1);
        var max = TimeSpan.FromSeconds(60);
        var seen = new HashSet<TimeSpan>();
        for (var attempt = 1; attempt <= 12; attempt++)
        {
            var ceiling = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, attempt - 1)));
            for (var i = 0; i < 50; i++)
            {
                var delay = Backoff.Delay(attempt, min, max);
                Assert.InRange(delay, min, ceiling);
                seen.Add(delay);
            }
        }
        // Jittered: a building's kiosks do not all come back at the same moment.
        Assert.True(seen.Count > 500);
    }

    private sealed class Notifications : ISystemdNotifier, IDisposable
    {
        private readonly List<string> _states = [];
        private readonly SemaphoreSlim _notified = new(0);

        public bool IsEnabled => true;

        public IReadOnlyList<string> States
        {
            get
            {
                lock (_states)
                {
                    return [.. _states];
                }
            }
        }

        public void Notify(ServiceState state)
        {
            lock (_states)
            {
                _states.Add(state.ToString());
            }
            _notified.Release();
        }

        /// <summary>Waits for the next notification.</summary>
        public async Task NextAsync() => Assert.True(await _notified.WaitAsync(TimeSpan.FromSeconds(10)), "systemd was not notified");

        public void Dispose() => _notified.Dispose();
    }
}
