using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using PassTrack.Edge.Events;
using PassTrack.Edge.Security;
using static PassTrack.Edge.Tests.Api.ApiClient;

namespace PassTrack.Edge.Tests.Api;

public class EventsApiTests
{
    private static readonly TimeSpan StreamTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Events_are_read_in_pages_after_a_sequence_number()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var client = await edge.ClientAsync(Scopes.Events);
        foreach (var student in edge.PlainStudents().Take(3))
        {
            await edge.KioskRequestAsync(student, "locker");
        }

        var first = await (await client.GetAsync("/api/events?since=0&limit=4", Ct)).ReadAsync<EventsPage>();
        var rest = await (await client.GetAsync($"/api/events?since={first.Events[^1].Sequence}", Ct)).ReadAsync<EventsPage>();
        using var badLimit = await client.GetAsync("/api/events?limit=5000", Ct);

        Assert.Equal([1L, 2, 3, 4], first.Events.Select(e => e.Sequence));
        Assert.True(first.More);
        Assert.Equal(edge.Writer.LastSequence, first.LastSequence);
        Assert.Equal("PassCreated", first.Events[0].Type);
        Assert.Equal(JsonValueKind.Object, first.Events[0].Data.ValueKind);
        Assert.Equal(Enumerable.Range(5, (int)edge.Writer.LastSequence - 4).Select(i => (long)i), rest.Events.Select(e => e.Sequence));
        Assert.False(rest.More);
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
    }

    [Fact]
    public async Task The_live_feed_sends_stored_events_after_since_then_live_ones_without_gaps_or_repeats()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var client = await edge.ClientAsync(Scopes.Events);
        var students = edge.PlainStudents();
        await edge.KioskRequestAsync(students[0], "locker");
        await edge.KioskRequestAsync(students[1], "locker");
        var stored = edge.Writer.LastSequence;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(StreamTimeout);

        using var response = await client.GetAsync("/api/events/live?since=1", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var stream = new SseStream(await response.Content.ReadAsStreamAsync(timeout.Token));
        var received = new List<SseEvent>();
        while (received.Count < stored - 1)
        {
            received.Add(await stream.NextAsync(timeout.Token));
        }
        // Written while the client is already following: these arrive live.
        await edge.KioskRequestAsync(students[2], "library");
        await edge.KioskRequestAsync(students[3], "library");
        while (received.Count < edge.Writer.LastSequence - 1)
        {
            received.Add(await stream.NextAsync(timeout.Token));
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Enumerable.Range(2, (int)edge.Writer.LastSequence - 1).Select(i => (long)i), received.Select(e => e.Id));
        Assert.True(edge.Writer.LastSequence > stored);
        Assert.Equal("PassCreated", received.First(e => e.Id == stored + 1).Type);
        Assert.All(received, e => Assert.Equal(e.Id, JsonDocument.Parse(e.Data).RootElement.GetProperty("sequence").GetInt64()));
    }

    [Fact]
    public async Task A_reconnecting_client_resumes_after_its_Last_Event_ID()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var client = await edge.ClientAsync(Scopes.Events);
        foreach (var student in edge.PlainStudents().Take(3))
        {
            await edge.KioskRequestAsync(student, "locker");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(StreamTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events/live?since=0");
        request.Headers.Add("Last-Event-ID", "4");

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var stream = new SseStream(await response.Content.ReadAsStreamAsync(timeout.Token));
        var first = await stream.NextAsync(timeout.Token);
        using var badId = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/events/live") { Headers = { { "Last-Event-ID", "x" } } }, timeout.Token);

        Assert.Equal(5, first.Id);
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
    }

    [Fact]
    public async Task Without_since_the_feed_starts_with_the_next_event()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var client = await edge.ClientAsync(Scopes.Events);
        var students = edge.PlainStudents();
        await edge.KioskRequestAsync(students[0], "locker");
        var before = edge.Writer.LastSequence;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(StreamTimeout);

        using var response = await client.GetAsync("/api/events/live", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var stream = new SseStream(await response.Content.ReadAsStreamAsync(timeout.Token));
        await edge.KioskRequestAsync(students[1], "locker");
        var next = await stream.NextAsync(timeout.Token);

        Assert.Equal(before + 1, next.Id);
    }

    [Fact]
    public async Task A_client_too_slow_for_the_live_feed_is_cut_off_cleanly_and_resumes_by_id_without_gaps()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var client = await edge.ClientAsync(Scopes.Events);
        var students = edge.Writer.StartingConfiguration.Students;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        var response = await client.GetAsync("/api/events/live?since=0", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var stream = new SseStream(await response.Content.ReadAsStreamAsync(timeout.Token));

        // The client reads nothing while more events are committed than a listener may fall behind (10,000).
        var requests = Enumerable.Range(0, 12_000).Select(i => students[i % students.Count]).Select(s => edge.Writer.SubmitAsync(
            new Rules.Passes.RequestPass(s.Id, s.Homeroom!.Value, new Rules.DestinationId("locker"), Contracts.Passes.PassSource.Kiosk, edge.Clock.GetUtcNow(), Rules.Actor.OfStudent(s.Id)), timeout.Token));
        await Task.WhenAll(requests);
        var last = edge.Writer.LastSequence;

        var received = new List<long>();
        var reconnects = 0;
        while (received.Count < last)
        {
            try
            {
                received.Add((await stream.NextAsync(timeout.Token)).Id);
            }
            catch (EndOfStreamException)
            {
                reconnects++;
                stream.Dispose();
                response.Dispose();
                var resume = new HttpRequestMessage(HttpMethod.Get, "/api/events/live?since=0") { Headers = { { "Last-Event-ID", received[^1].ToString(CultureInfo.InvariantCulture) } } };
                response = await client.SendAsync(resume, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                stream = new SseStream(await response.Content.ReadAsStreamAsync(timeout.Token));
            }
        }
        stream.Dispose();
        response.Dispose();

        Assert.True(last > 12_000);
        Assert.Equal(1, reconnects);
        Assert.Equal(Enumerable.Range(1, (int)last).Select(i => (long)i), received);
    }

    private sealed record SseEvent(long Id, string Type, string Data);

    /// <summary>Reads server-sent events frame by frame: id, event and data lines, then a blank line.</summary>
    private sealed class SseStream(Stream stream) : IDisposable
    {
        private readonly StreamReader _reader = new(stream, Encoding.UTF8);

        public void Dispose() => _reader.Dispose();

        public async Task<SseEvent> NextAsync(CancellationToken cancellationToken)
        {
            long? id = null;
            string? type = null;
            var data = new StringBuilder();
            while (true)
            {
                var line = await _reader.ReadLineAsync(cancellationToken) ?? throw new EndOfStreamException("The server ended the stream.");
                if (line.Length == 0)
                {
                    if (id is not null)
                    {
                        return new SseEvent(id.Value, type ?? "message", data.ToString());
                    }
                    continue;
                }
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var (field, value) = colon < 0 ? (line, "") : (line[..colon], line[(colon + 1)..].TrimStart(' '));
                switch (field)
                {
                    case "id": id = long.Parse(value, CultureInfo.InvariantCulture); break;
                    case "event": type = value; break;
                    case "data": data.Append(value); break;
                    default: break;
                }
            }
        }
    }
}
