namespace PassTrack.Kiosk.Hardware.CardReader;

/// <summary>
/// Turns what the reader sees, poll after poll, into taps. A card held on the reader is one tap; the same card
/// counts again only after it has been unseen for <see cref="SameCardGap"/> (a held card is re-read every poll, but
/// a flaky coupling can hide it for a poll or two); a card not seen within that gap is a new tap at once.
/// </summary>
public sealed class CardTaps(TimeProvider time, TimeSpan? sameCardGap = null)
{
    public static readonly TimeSpan DefaultSameCardGap = TimeSpan.FromSeconds(1.5);

    // Several cards can be on the reader together and are seen in turn: each keeps its own last sighting.
    private readonly Dictionary<CardUid, long> _lastSeen = [];

    public TimeSpan SameCardGap { get; } = sameCardGap ?? DefaultSameCardGap;

    /// <summary>Feeds one poll's result; returns the UID when it is a new tap, else null.</summary>
    public CardUid? Observe(CardUid? seen)
    {
        var now = time.GetTimestamp();
        foreach (var (uid, at) in _lastSeen)
        {
            if (time.GetElapsedTime(at, now) >= SameCardGap)
            {
                _lastSeen.Remove(uid);
            }
        }
        if (seen is not { } card)
        {
            return null;
        }
        var isNew = _lastSeen.TryAdd(card, now);
        _lastSeen[card] = now;
        return isNew ? card : null;
    }

    /// <summary>Polls the reader once and returns a new tap, if that is what it saw.</summary>
    public CardUid? Poll(ICardReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return Observe(reader.Poll());
    }
}
