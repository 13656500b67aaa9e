namespace PassTrack.Rules.Approvals;

public sealed record ApprovePass(PassId Pass, DateTimeOffset At, Actor Actor) : BuildingCommand(At, Actor);

public sealed record DenyPass(PassId Pass, DateTimeOffset At, Actor Actor, string? Comment = null) : BuildingCommand(At, Actor);
