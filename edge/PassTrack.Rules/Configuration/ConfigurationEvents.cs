using PassTrack.Rules.Encounters;
using PassTrack.Rules.Students;

namespace PassTrack.Rules.Configuration;

/// <summary>A change to how the building is set up. Each replaces one item whole.</summary>
public abstract record ConfigurationChanged(Actor Actor) : BuildingEvent;

public sealed record SectionSaved(Section Section, Actor Actor) : ConfigurationChanged(Actor);

public sealed record RoomSaved(Room Room, Actor Actor) : ConfigurationChanged(Actor);

public sealed record DestinationSaved(Destination Destination, Actor Actor) : ConfigurationChanged(Actor);

public sealed record StudentSaved(Student Student, Actor Actor) : ConfigurationChanged(Actor);

public sealed record EncounterGroupSaved(EncounterGroup Group, Actor Actor) : ConfigurationChanged(Actor);

public sealed record EncounterGroupRemoved(EncounterGroupId Group, Actor Actor) : ConfigurationChanged(Actor);

public sealed record KioskSaved(Kiosk Kiosk, Actor Actor) : ConfigurationChanged(Actor);

public sealed record PolicyChanged(BuildingPolicy Policy, Actor Actor) : ConfigurationChanged(Actor);

public sealed record BellScheduleSaved(BellSchedule Schedule, Actor Actor) : ConfigurationChanged(Actor);

public sealed record CalendarChanged(SchoolCalendar Calendar, Actor Actor) : ConfigurationChanged(Actor);

public sealed record BlackoutSaved(PassBlackout Blackout, Actor Actor) : ConfigurationChanged(Actor);

public sealed record BlackoutRemoved(string Blackout, Actor Actor) : ConfigurationChanged(Actor);
