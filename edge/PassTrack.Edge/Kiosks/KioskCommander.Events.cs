using Microsoft.EntityFrameworkCore;
using PassTrack.Edge.Events;
using PassTrack.Edge.Store;
using PassTrack.Rules.Configuration;
using PassTrack.Rules.Emergencies;
using PassTrack.Rules.Json;
using PassTrack.Rules.Summons;

namespace PassTrack.Edge.Kiosks;

// Following the building's committed events: live from the feed, and from the store for whatever the feed could not
// hold (the commander fell behind and was cut loose, or events committed while it was starting to listen).
public sealed partial class KioskCommander
{
    private static readonly string[] Relevant =
    [
        nameof(DestinationSaved), nameof(SectionSaved), nameof(RoomSaved), nameof(KioskSaved),
        nameof(EmergencyStarted), nameof(EmergencyCleared), nameof(StudentSummoned), nameof(SummonsClosed),
    ];

    private async Task FollowEventsAsync(CancellationToken stoppingToken)
    {
        var last = writer.LastSequence;
        while (!stoppingToken.IsCancellationRequested)
        {
            var live = feed.Listen();
            try
            {
                last = await CatchUpAsync(last, stoppingToken);
                await foreach (var e in live.ReadAllAsync(stoppingToken))
                {
                    if (e.Sequence > last)
                    {
                        last = e.Sequence;
                        if (Relevant.Contains(e.Type, StringComparer.Ordinal))
                        {
                            _work.Writer.TryWrite(new Work.Event(e.Event));
                        }
                    }
                }
                return;
            }
            catch (Exception ex) when (ex is FeedOverflowException || ex.InnerException is FeedOverflowException)
            {
                FeedOverflowed(logger, last);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The store could not be read just now: listen again and catch up from the same place a moment later.
                FollowFailed(logger, ex, last);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
            finally
            {
                feed.Stop(live);
            }
        }
    }

    /// <summary>Queues the relevant events committed after <paramref name="after"/>; returns the sequence it caught up to.</summary>
    private async Task<long> CatchUpAsync(long after, CancellationToken cancellationToken)
    {
        var upTo = writer.LastSequence;
        if (upTo <= after)
        {
            return after;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EdgeDb>();
        var rows = db.Events.AsNoTracking()
            .Where(e => e.Sequence > after && e.Sequence <= upTo && Relevant.Contains(e.Type))
            .OrderBy(e => e.Sequence)
            .Select(e => new { e.Type, e.Json })
            .AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            _work.Writer.TryWrite(new Work.Event(EventJson.Deserialize(row.Type, row.Json)));
        }
        return upTo;
    }

    [LoggerMessage(143, LogLevel.Error, "Kiosk commands could not follow the building's events after sequence {Sequence}; retrying")]
    private static partial void FollowFailed(ILogger logger, Exception exception, long sequence);

    [LoggerMessage(142, LogLevel.Warning, "Kiosk commands fell behind the live event feed after sequence {Sequence}; resuming from the store")]
    private static partial void FeedOverflowed(ILogger logger, long sequence);
}
