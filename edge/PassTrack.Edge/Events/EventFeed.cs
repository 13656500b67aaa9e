using System.Threading.Channels;
using PassTrack.Rules.Json;

namespace PassTrack.Edge.Events;

/// <summary>
/// An event as committed to the store, ready to send on: its sequence, type, time and JSON. The JSON is rendered when a
/// listener first asks for it, off the writer's loop (the writer stores its own UTF-8 copy); an event never changes
/// once committed, so it reads the same as the store's.
/// </summary>
public sealed record CommittedEvent(long Sequence, string Type, DateTimeOffset At, Rules.BuildingEvent Event)
{
    private string? _json;

    public string Json => _json ??= EventJson.Serialize(Event);
}

/// <summary>
/// Hands every committed event, in order, to whoever listens live (the server-sent event feed, kiosk notifications).
/// A listener that falls too far behind is dropped and must resume from the store by sequence number.
/// </summary>
public sealed class EventFeed
{
    private readonly Lock _gate = new();
    private readonly List<Channel<CommittedEvent>> _listeners = [];

    public long LastSequence { get; private set; }

    /// <summary>Starts listening. The reader completes if the listener falls more than <paramref name="buffer"/> events behind.</summary>
    public ChannelReader<CommittedEvent> Listen(int buffer = 10_000)
    {
        var channel = Channel.CreateBounded<CommittedEvent>(new BoundedChannelOptions(buffer) { SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        lock (_gate)
        {
            _listeners.Add(channel);
        }
        return channel.Reader;
    }

    public void Stop(ChannelReader<CommittedEvent> reader)
    {
        lock (_gate)
        {
            var channel = _listeners.FirstOrDefault(c => c.Reader == reader);
            if (channel is not null)
            {
                _listeners.Remove(channel);
                channel.Writer.TryComplete();
            }
        }
    }

    internal void Publish(IReadOnlyList<CommittedEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }
        lock (_gate)
        {
            LastSequence = events[^1].Sequence;
            for (var i = _listeners.Count - 1; i >= 0; i--)
            {
                var channel = _listeners[i];
                foreach (var e in events)
                {
                    if (!channel.Writer.TryWrite(e))
                    {
                        // Too slow: cut it loose rather than hold up the building. It resumes from the store.
                        channel.Writer.TryComplete(new FeedOverflowException());
                        _listeners.RemoveAt(i);
                        break;
                    }
                }
            }
        }
    }
}

public sealed class FeedOverflowException : Exception
{
    public FeedOverflowException()
        : base("The listener fell too far behind the live event feed; resume from the store by sequence number.")
    {
    }
}
