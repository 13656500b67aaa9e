using System.Diagnostics;
using PassTrack.Contracts.Protocol;
using PassTrack.LoadTool.Kiosks;
using PassTrack.LoadTool.Stats;
using PassTrack.LoadTool.Traffic;

namespace PassTrack.LoadTool.Modes;

/// <summary>
/// The kiosks, the students' model and the measurements of one run, wired together: a step is sent from a kiosk,
/// its reply (matched by correlation data) is timed and counted and tells the model what the student does next.
/// Requests unanswered after the timeout count as errors.
/// </summary>
public sealed class LoadSession
{
    private readonly IReadOnlyList<SimKiosk> _kiosks;
    private readonly string _run;
    private readonly long _timeoutTicks;
    private readonly CancellationToken _stopping;

    public LoadSession(IReadOnlyList<SimKiosk> kiosks, TrafficModel model, TimeSpan timeout, Action<SimKiosk, Request, DecisionReply?>? onDecision, CancellationToken stopping)
    {
        _kiosks = kiosks;
        Model = model;
        _run = Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.NextInt64()))[..8];
        _timeoutTicks = (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        _stopping = stopping;
        foreach (var kiosk in kiosks)
        {
            kiosk.Replied = (k, request, reply, arrived) =>
            {
                OnReplied(request, reply, arrived);
                onDecision?.Invoke(k, request, reply);
            };
            kiosk.Dropped = (k, reason) => Counters.Error($"kiosk disconnected: {reason}");
        }
    }

    public TrafficModel Model { get; }

    /// <summary>Scan to decision: from publishing a request to receiving its reply, matched by correlation data.</summary>
    public LatencyRecorder Latency { get; } = new();

    /// <summary>From when each request was due (open loop: its slot in the schedule) to its reply: the latency plus the tool's own lag in sending.</summary>
    public LatencyRecorder FromDue { get; } = new();

    public Counters Counters { get; } = new();

    public IReadOnlyList<SimKiosk> Kiosks => _kiosks;

    public int InFlight => _kiosks.Sum(k => k.InFlight);

    private TaskCompletionSource? _drained;

    /// <summary>
    /// Completes when no request is in flight: each reply, failed send and expiry checks it, once someone waits. The
    /// sweeper fails what has waited past the timeout, so this ends within the timeout and a sweep.
    /// </summary>
    public Task DrainedAsync()
    {
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _drained, drained);
        CheckDrained();
        return drained.Task;
    }

    private void CheckDrained()
    {
        if (Volatile.Read(ref _drained) is { Task.IsCompleted: false } drained && InFlight == 0)
        {
            drained.TrySetResult();
        }
    }

    /// <summary>Sends a student's step; <paramref name="dueTicks"/> is when it was due (latency counts from then).</summary>
    public void Send(Visit visit, long dueTicks, TaskCompletionSource? done = null)
    {
        var kiosk = _kiosks[visit.Kiosk];
        var request = Messages.Build(visit, kiosk, _run, dueTicks, TimeProvider.System.GetUtcNow()) with { Done = done };
        Counters.Sending();
        _ = SendAsync(kiosk, request, visit);
    }

    private async Task SendAsync(SimKiosk kiosk, Request request, Visit visit)
    {
        try
        {
            await kiosk.SendAsync(request, _stopping);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Counters.Error($"publish failed: {ex.GetType().Name}");
            Model.OnFailed(visit);
            request.Done?.TrySetResult();
            CheckDrained();
        }
    }

    private void OnReplied(Request request, DecisionReply? reply, long arrived)
    {
        Latency.Record(request.SentTicks, arrived);
        FromDue.Record(request.DueTicks, arrived);
        if (reply is null)
        {
            Counters.Error("unreadable reply");
        }
        else if (reply.Error is { } error)
        {
            Counters.Error($"edge refused: {error}");
        }
        else
        {
            Counters.Replied($"{reply.Outcome} {reply.Reason}");
        }
        if (request.Context is Visit visit)
        {
            Model.OnReply(visit, request.ScanId, reply, arrived);
        }
        request.Done?.TrySetResult();
        CheckDrained();
    }

    /// <summary>Every second, fails the requests that have waited longer than the timeout.</summary>
    public async Task SweepTimeoutsAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var before = Stopwatch.GetTimestamp() - _timeoutTicks;
                foreach (var kiosk in _kiosks)
                {
                    foreach (var expired in kiosk.TakeExpired(before))
                    {
                        Counters.TimedOut();
                        if (expired.Context is Visit visit)
                        {
                            Model.OnFailed(visit);
                        }
                        expired.Done?.TrySetResult();
                    }
                }
                CheckDrained();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Each kiosk sends its heartbeat telemetry every <paramref name="interval"/>, spread evenly over it.</summary>
    public async Task HeartbeatsAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        if (interval <= TimeSpan.Zero || _kiosks.Count == 0)
        {
            return;
        }
        var started = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(interval / _kiosks.Count < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : interval / _kiosks.Count);
        var perTick = Math.Max(1, (int)Math.Ceiling(_kiosks.Count * 0.01 / interval.TotalSeconds));
        var next = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                for (var i = 0; i < perTick; i++)
                {
                    var kiosk = _kiosks[next++ % _kiosks.Count];
                    if (kiosk.IsConnected)
                    {
                        _ = HeartbeatAsync(kiosk, (long)Stopwatch.GetElapsedTime(started).TotalSeconds, cancellationToken);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task HeartbeatAsync(SimKiosk kiosk, long uptime, CancellationToken cancellationToken)
    {
        try
        {
            await kiosk.PublishTelemetryAsync(uptime, TimeProvider.System.GetUtcNow(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Counters.Error($"heartbeat failed: {ex.GetType().Name}");
        }
    }
}
