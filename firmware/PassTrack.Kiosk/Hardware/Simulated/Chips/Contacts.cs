namespace PassTrack.Kiosk.Hardware.Simulated.Chips;

/// <summary>
/// Mechanical contacts over time. A press or release may bounce: the contact flickers every 0.7 ms (out of step with
/// the poll) for the bounce time before it settles, as a real key's does.
/// </summary>
internal sealed class Contacts<TKey>(TimeProvider time)
    where TKey : notnull
{
    private static readonly TimeSpan FlickerEvery = TimeSpan.FromMilliseconds(0.7);

    private readonly Dictionary<TKey, List<(DateTimeOffset At, bool Closed)>> _changes = [];

    public void Press(TKey key, TimeSpan bounce = default) => Change(key, closed: true, bounce);

    public void Release(TKey key, TimeSpan bounce = default) => Change(key, closed: false, bounce);

    public bool IsClosed(TKey key)
    {
        if (!_changes.TryGetValue(key, out var changes))
        {
            return false;
        }

        var now = time.GetUtcNow();
        var closed = false;
        foreach (var (at, state) in changes)
        {
            if (at > now)
            {
                break;
            }

            closed = state;
        }

        return closed;
    }

    private void Change(TKey key, bool closed, TimeSpan bounce)
    {
        if (!_changes.TryGetValue(key, out var changes))
        {
            changes = [];
            _changes[key] = changes;
        }

        var now = time.GetUtcNow();
        var flicker = closed;
        for (var at = TimeSpan.Zero; at < bounce; at += FlickerEvery)
        {
            changes.Add((now + at, flicker));
            flicker = !flicker;
        }

        changes.Add((now + bounce, closed));
    }
}
