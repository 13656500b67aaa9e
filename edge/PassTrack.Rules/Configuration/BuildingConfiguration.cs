using PassTrack.Rules.Encounters;
using PassTrack.Rules.Scheduling;
using PassTrack.Rules.Staff;
using PassTrack.Rules.Students;

namespace PassTrack.Rules.Configuration;

/// <summary>Everything a building is set up with. The starting point the live building is built from.</summary>
public sealed record BuildingConfiguration(
    string BuildingId,
    string Name,
    string TimeZoneId,
    IReadOnlyList<Section> Sections,
    IReadOnlyList<Room> Rooms,
    IReadOnlyList<Destination> Destinations,
    IReadOnlyList<BellSchedule> Schedules,
    SchoolCalendar Calendar,
    IReadOnlyList<Student> Students)
{
    public IReadOnlyList<EncounterGroup> EncounterGroups { get; init; } = [];

    public IReadOnlyList<Kiosk> Kiosks { get; init; } = [];

    /// <summary>Staff whose cards open staff actions at the kiosks.</summary>
    public IReadOnlyList<StaffMember> Staff { get; init; } = [];

    public IReadOnlyList<PassBlackout> Blackouts { get; init; } = [];

    public IReadOnlyList<RecurringPass> RecurringPasses { get; init; } = [];

    public BuildingPolicy Policy { get; init; } = new();
}
