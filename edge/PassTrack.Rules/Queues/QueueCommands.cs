namespace PassTrack.Rules.Queues;

/// <summary>Take the place held for a queued pass (from the teacher's screen; a tap at the kiosk does the same).</summary>
public sealed record ClaimPass(PassId Pass, DateTimeOffset At, Actor Actor) : BuildingCommand(At, Actor);
