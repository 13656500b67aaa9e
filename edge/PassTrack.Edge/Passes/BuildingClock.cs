using Microsoft.Extensions.Options;
using PassTrack.Rules.Passes;

namespace PassTrack.Edge.Passes;

/// <summary>
/// Moves the building's time on: every tick it sends <see cref="Advance"/> with the current time, so overdue flags,
/// auto-ends, claim windows, approval timeouts, scheduled and recurring passes and day changes happen on time.
/// A <see cref="PeriodicTimer"/> on the injected <see cref="TimeProvider"/>, so tests drive it with a fake clock.
/// </summary>
public sealed class BuildingClock(BuildingWriter writer, IOptions<EdgeOptions> options, TimeProvider time, ILogger<BuildingClock> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await writer.Ready.WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.Value.TickInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await writer.SubmitAsync(new Advance(time.GetUtcNow()), stoppingToken);
                }
                catch (StoreUnavailableException ex)
                {
                    // The next tick tries again; nothing was lost because nothing was changed.
                    ClockLog.TickFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

internal static partial class ClockLog
{
    [LoggerMessage(10, LogLevel.Warning, "A timer tick could not be committed")]
    public static partial void TickFailed(ILogger logger, Exception exception);
}
