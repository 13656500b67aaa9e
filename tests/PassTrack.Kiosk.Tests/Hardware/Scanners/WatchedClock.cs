using Microsoft.Extensions.Time.Testing;

namespace PassTrack.Kiosk.Tests.Hardware.Scanners;

/// <summary>
/// A fake clock that knows when something starts waiting on it, so a test moves time only once the scanner's
/// background loop is actually waiting, instead of racing it.
/// </summary>
internal sealed class WatchedClock : FakeTimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiting = [];
    private int _timersCreated;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        lock (_gate)
        {
            _timersCreated++;
            foreach (var waiter in _waiting.Where(w => w.Count <= _timersCreated).ToList())
            {
                waiter.Reached.TrySetResult();
                _waiting.Remove(waiter);
            }
        }

        return timer;
    }

    /// <summary>Moves time in <paramref name="step"/>s, each once a new wait has begun, until <paramref name="done"/> completes.</summary>
    public async Task AdvanceUntil(Task done, TimeSpan step)
    {
        var advancedWith = 0;
        while (!done.IsCompleted)
        {
            await Task.WhenAny(done, TimersCreated(advancedWith + 1));
            if (done.IsCompleted)
            {
                return;
            }

            lock (_gate)
            {
                advancedWith = _timersCreated;
            }

            Advance(step);
        }
    }

    private Task TimersCreated(int count)
    {
        lock (_gate)
        {
            if (_timersCreated >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add((count, reached));
            return reached.Task;
        }
    }
}
