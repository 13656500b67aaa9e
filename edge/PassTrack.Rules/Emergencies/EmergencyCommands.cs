namespace PassTrack.Rules.Emergencies;

public sealed record StartEmergency(EmergencyKind Kind, DateTimeOffset At, Actor Actor) : BuildingCommand(At, Actor);

public sealed record ClearEmergency(DateTimeOffset At, Actor Actor) : BuildingCommand(At, Actor);
