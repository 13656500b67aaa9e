using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PassTrack.Edge.Api;
using PassTrack.Edge.Passes;
using PassTrack.Edge.Security;
using PassTrack.Edge.Store;

namespace PassTrack.Edge.Events;

/// <summary>One event of the building's log; <see cref="Data"/> is the event as stored.</summary>
public sealed record EventDto(long Sequence, string Type, DateTimeOffset At, JsonElement Data);

/// <summary>Events after a sequence number. <see cref="LastSequence"/> is the building's newest; ask again from the last one returned.</summary>
public sealed record EventsPage(IReadOnlyList<EventDto> Events, long LastSequence, bool More);

/// <summary>The building's event log by sequence number: pages for catching up, and a live server-sent-event feed.</summary>
public static class EventsApi
{
    public const int MaxLimit = 1000;
    private const int CatchUpPage = 500;

    public static RouteGroupBuilder MapEvents(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/events").WithTags("Events").RequireScope(Scopes.Events);

        group.MapGet("/", async Task<Results<Ok<EventsPage>, ValidationProblem>> (BuildingWriter writer, EdgeDb db, CancellationToken ct, long since = 0, int limit = 100) =>
        {
            var invalid = new Checks()
                .That(since >= 0, "since", "must be 0 or more.")
                .That(limit is >= 1 and <= MaxLimit, "limit", $"must be between 1 and {MaxLimit}.")
                .Problem;
            if (invalid is not null)
            {
                return invalid;
            }
            var rows = await StoredAfterAsync(db, since, limit + 1, ct);
            var events = rows.Take(limit).Select(r => new EventDto(r.Sequence, r.Type, DateTimeOffset.FromUnixTimeMilliseconds(r.AtUnixMs), Parse(r.Json))).ToList();
            return TypedResults.Ok(new EventsPage(events, writer.LastSequence, rows.Count > limit));
        }).Audited("events.read").WithSummary("Events after a sequence number, oldest first");

        return group;
    }

    public static RouteGroupBuilder MapLiveEvents(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/events").WithTags("Events").RequireScope(Scopes.Events);

        group.MapGet("/live", Results<ServerSentEventsResult<string>, ValidationProblem> (
            HttpContext http, EventFeed feed, BuildingWriter writer, IServiceScopeFactory scopes, long? since) =>
        {
            // A reconnecting browser repeats the original address and says where it really got to in Last-Event-ID.
            var resume = http.Request.Headers["Last-Event-ID"].ToString();
            long? from = since;
            if (resume.Length > 0)
            {
                if (!long.TryParse(resume, NumberStyles.None, CultureInfo.InvariantCulture, out var last))
                {
                    return Problems.Invalid("Last-Event-ID", "must be an event sequence number.");
                }
                from = last;
            }
            if (from < 0)
            {
                return Problems.Invalid("since", "must be 0 or more.");
            }
            return TypedResults.ServerSentEvents(StreamAsync(http, feed, scopes, from ?? writer.LastSequence, http.RequestAborted));
        }).Audited("events.live")
            .WithSummary("Server-sent events (id = sequence, event = type, data = the event JSON): the stored events after 'since' "
                + "(or Last-Event-ID; default: only new ones), then live. The stream ends if the client falls too far behind; resume by id.");

        return group;
    }

    /// <summary>
    /// Listens first, then replays the store, then follows the feed: an event committed while the store is read arrives
    /// from both and is sent once (by sequence); a gap in the feed is filled from the store.
    /// </summary>
    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(
        HttpContext http, EventFeed feed, IServiceScopeFactory scopes, long after, [EnumeratorCancellation] CancellationToken ct)
    {
        // Headers now, not with the first event: a client following a quiet building knows it is connected.
        await http.Response.Body.FlushAsync(ct);
        var live = feed.Listen();
        try
        {
            var sent = after;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<EdgeDb>();
                await foreach (var e in CatchUpAsync(db, sent, long.MaxValue, ct))
                {
                    sent = e.Sequence;
                    yield return Item(e);
                }
            }
            while (true)
            {
                CommittedEvent? next;
                try
                {
                    next = await live.WaitToReadAsync(ct) && live.TryRead(out var e) ? e : null;
                }
                catch (Exception e) when (e is FeedOverflowException or ChannelClosedException)
                {
                    // Too far behind to follow live: end cleanly; the client reconnects with the last id it got.
                    yield break;
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
                if (next is null)
                {
                    yield break;
                }
                if (next.Sequence <= sent)
                {
                    continue;
                }
                if (next.Sequence > sent + 1)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await foreach (var missed in CatchUpAsync(scope.ServiceProvider.GetRequiredService<EdgeDb>(), sent, next.Sequence, ct))
                    {
                        sent = missed.Sequence;
                        yield return Item(missed);
                    }
                }
                sent = next.Sequence;
                yield return new SseItem<string>(next.Json, next.Type) { EventId = next.Sequence.ToString(CultureInfo.InvariantCulture) };
            }
        }
        finally
        {
            feed.Stop(live);
        }
    }

    /// <summary>Stored events with after &lt; sequence &lt; before, in pages so a long catch-up never loads the whole log.</summary>
    private static async IAsyncEnumerable<EventRow> CatchUpAsync(EdgeDb db, long after, long before, [EnumeratorCancellation] CancellationToken ct)
    {
        while (true)
        {
            var page = await StoredAfterAsync(db, after, CatchUpPage, ct);
            foreach (var row in page)
            {
                if (row.Sequence >= before)
                {
                    yield break;
                }
                after = row.Sequence;
                yield return row;
            }
            if (page.Count < CatchUpPage)
            {
                yield break;
            }
        }
    }

    private static Task<List<EventRow>> StoredAfterAsync(EdgeDb db, long after, int count, CancellationToken ct) =>
        db.Events.AsNoTracking().Where(e => e.Sequence > after).OrderBy(e => e.Sequence).Take(count).ToListAsync(ct);

    private static SseItem<string> Item(EventRow row) =>
        new(row.Json, row.Type) { EventId = row.Sequence.ToString(CultureInfo.InvariantCulture) };

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
