namespace PassTrack.Edge.Tests;

/// <summary>
/// School time that really passes: it reads 10:05 on the demo school's Tuesday when made and runs on from there, with
/// real timers, for an edge whose reconnects and rate caps must move on their own while a test waits on a signal.
/// </summary>
internal sealed class SchoolTimeClock() : TimeProvider
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 15, 5, 0, TimeSpan.Zero);
    private readonly long _made = System.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => Start + System.GetElapsedTime(_made);
}
