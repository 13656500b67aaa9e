namespace PassTrack.Rules.Queues;

/// <summary>Who is at a destination and who waits for it: the counts capacity is checked against, and its line in order.</summary>
internal sealed class DestinationLoad
{
    public int Active { get; set; }

    /// <summary>Places held for queued passes that have been offered one.</summary>
    public int Offered { get; set; }

    /// <summary>Queued passes, first come first served. Offered ones stay in place until claimed or expired.</summary>
    public List<PassId> Queue { get; } = [];
}
