namespace PassTrack.Kiosk.Hardware.Keypad;

/// <summary>
/// One contact's debounce: a reading counts once it has stayed the same for the whole settle time, and only the change
/// from released to pressed is a press, so a held key is one press however long it is held.
/// </summary>
internal sealed class KeyDebouncer(TimeProvider time, TimeSpan settle)
{
    private bool _stable;
    private bool _candidate;
    private long _candidateSince = time.GetTimestamp();

    /// <summary>Takes a raw reading; true when it completes a press.</summary>
    public bool Update(bool pressed)
    {
        var now = time.GetTimestamp();
        if (pressed != _candidate)
        {
            _candidate = pressed;
            _candidateSince = now;
            return false;
        }

        if (_candidate == _stable || time.GetElapsedTime(_candidateSince, now) < settle)
        {
            return false;
        }

        _stable = _candidate;
        return _stable;
    }
}
