using PassTrack.Rules.Encounters;
using PassTrack.Rules.Students;

namespace PassTrack.Rules.Configuration;

// Each saves one item whole; staff with the Configure permission only.

public sealed record SaveSection(Section Section, DateTimeOffset At, Actor Actor) : BuildingCommand(At, Actor);

public sealed record SaveRoom(Room Room, DateTimeOffset At, Actor Actor) : BuildingCommand(At, Actor);

/// <summary>Also how a destination is opened or closed: closing it reroutes its line.</summary>
public sealed record SaveDestination(Destination Destination, DateTimeOffset At, Actor Actor) : BuildingCommand(At, Actor);

public sealed record SaveStudent(Student Student, DateTimeOffset At, Actor Actor) : BuildingCommand(At, Actor);

public sealed record SaveEncounterGroup(EncounterGroup Group, DateTimeOffset At, Actor Actor) : BuildingCommand(At, Actor);

public sealed record RemoveEncounterGroup(EncounterGroupId Group, DateTimeOffset At, Actor Actor) : BuildingCommand(At, Actor);

public sealed record SaveKiosk(Kiosk Kiosk, DateTimeOffset At, Actor Actor) : BuildingCommand(At, Actor);

public sealed record ChangePolicy(BuildingPolicy Policy, DateTimeOffset At, Actor Actor) : BuildingCommand(At, Actor);

public sealed record SaveBellSchedule(BellSchedule Schedule, DateTimeOffset At, Actor Actor) : BuildingCommand(At, Actor);

public sealed record ChangeCalendar(SchoolCalendar Calendar, DateTimeOffset At, Actor Actor) : BuildingCommand(At, Actor);

public sealed record SaveBlackout(PassBlackout Blackout, DateTimeOffset At, Actor Actor) : BuildingCommand(At, Actor);

public sealed record RemoveBlackout(string Blackout, DateTimeOffset At, Actor Actor) : BuildingCommand(At, Actor);
