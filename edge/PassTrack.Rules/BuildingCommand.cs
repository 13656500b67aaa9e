namespace PassTrack.Rules;

/// <summary>Something asked of the building at a moment in time. The moment is an input: the rules never read a clock.</summary>
public abstract record BuildingCommand(DateTimeOffset At, Actor Actor);
