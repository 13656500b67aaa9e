using System.Collections.Concurrent;

namespace PassTrack.LoadTool.Stats;

/// <summary>What the kiosks sent and got back: counts, errors by kind, and the mix of decisions.</summary>
public sealed class Counters
{
    private long _sent;
    private long _replies;
    private long _errors;
    private long _timeouts;
    private readonly ConcurrentDictionary<string, long> _outcomes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _errorKinds = new(StringComparer.Ordinal);

    private long _starved;

    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Times a closed-loop kiosk had no student to send (it waits 5 ms): high means the students, not the server, limited the run.</summary>
    public long StarvedCount => Interlocked.Read(ref _starved);

    public void Starved() => Interlocked.Increment(ref _starved);

    public long Replies => Interlocked.Read(ref _replies);

    public long Errors => Interlocked.Read(ref _errors);

    public long Timeouts => Interlocked.Read(ref _timeouts);

    public void Sending() => Interlocked.Increment(ref _sent);

    public void Replied(string outcome)
    {
        Interlocked.Increment(ref _replies);
        _outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
    }

    public void Error(string kind)
    {
        Interlocked.Increment(ref _errors);
        _errorKinds.AddOrUpdate(kind, 1, (_, n) => n + 1);
    }

    public void TimedOut()
    {
        Interlocked.Increment(ref _timeouts);
        Error("timeout (no reply)");
    }

    public IReadOnlyList<KeyValuePair<string, long>> Outcomes => [.. _outcomes.OrderByDescending(p => p.Value)];

    public IReadOnlyList<KeyValuePair<string, long>> ErrorKinds => [.. _errorKinds.OrderByDescending(p => p.Value)];
}
