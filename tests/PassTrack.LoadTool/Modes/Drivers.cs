using System.Diagnostics;

namespace PassTrack.LoadTool.Modes;

/// <summary>How requests are paced.</summary>
public static class Drivers
{
    /// <summary>
    /// Open loop: request number n is due at start + n / rate, whatever the replies do. A 1 ms timer sends everything
    /// that has fallen due; latency counts from the due time, so a late sender cannot flatter the figures.
    /// </summary>
    public static async Task<long> OpenLoopAsync(LoadSession session, double rate, TimeSpan length, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(length.TotalSeconds * Stopwatch.Frequency);
        long issued = 0;
        long idle = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var now = Stopwatch.GetTimestamp();
                if (now >= end)
                {
                    break;
                }
                // Request n is due at start + n / rate: send every one whose moment has come.
                var target = (long)((now - start) * rate / Stopwatch.Frequency) + 1;
                while (issued < target)
                {
                    var due = start + (long)(issued * Stopwatch.Frequency / rate);
                    issued++;
                    if (session.Model.Next(now) is { } visit)
                    {
                        session.Send(visit, due);
                    }
                    else
                    {
                        idle++;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        return idle;
    }

    /// <summary>
    /// Closed loop: every kiosk sends its next request the moment the previous one is answered (one in flight per
    /// kiosk, as a real kiosk works), so the rate is whatever the server sustains.
    /// </summary>
    public static async Task ClosedLoopAsync(LoadSession session, TimeSpan length, CancellationToken cancellationToken)
    {
        var end = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
        var loops = Enumerable.Range(0, session.Kiosks.Count).Select(k => Task.Run(() => KioskLoopAsync(session, k, end, cancellationToken), cancellationToken));
        try
        {
            await Task.WhenAll(loops);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task KioskLoopAsync(LoadSession session, int kiosk, long end, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            if (now >= end)
            {
                return;
            }
            if (session.Model.NextAt(kiosk, now) is not { } visit)
            {
                session.Counters.Starved();
                await Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System, cancellationToken);
                continue;
            }
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            session.Send(visit, now, done);
            await done.Task.WaitAsync(cancellationToken);
        }
    }
}
