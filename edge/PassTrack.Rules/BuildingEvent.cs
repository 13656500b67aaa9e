namespace PassTrack.Rules;

/// <summary>
/// A recorded change to a building. The building's state is exactly what its events say: handling a command
/// emits events and applies them, and replaying the same events rebuilds the same state.
/// <see cref="Sequence"/> numbers a building's events without gaps from 1.
/// </summary>
public abstract record BuildingEvent
{
    private long _sequence;
    private DateTimeOffset _at;

    public long Sequence { get => _sequence; init => _sequence = value; }

    public DateTimeOffset At { get => _at; init => _at = value; }

    /// <summary>Numbers a new event as the building records it.</summary>
    internal void Stamp(long sequence, DateTimeOffset at)
    {
        _sequence = sequence;
        _at = at;
    }
}
