using PassTrack.Rules;
using PassTrack.Rules.Emergencies;

namespace PassTrack.Dashboard.Emergencies;

/// <summary>A student who was out when the emergency began: where from, where to, and whether seen since.</summary>
public sealed record StudentOutView(string StudentId, string Name, int Grade, string From, string To, DateTimeOffset? AccountedAt, string? AccountedIn);

/// <summary>One building's emergency state as the emergency page shows it, read from the replica under its lock.</summary>
public sealed record EmergencyBoard(
    string BuildingId,
    string Name,
    EmergencyKind? Kind,
    DateTimeOffset? Since,
    string? StartedBy,
    IReadOnlyList<StudentOutView> StudentsOut,
    int InHalls)
{
    public int Unaccounted => StudentsOut.Count(s => s.AccountedAt is null);

    public static EmergencyBoard Read(Building building, string name)
    {
        var emergency = building.Emergency;
        var students = emergency is null
            ? []
            : emergency.StudentsOut
                .Select(s =>
                {
                    var student = building.FindStudent(s.Student);
                    return new StudentOutView(
                        s.Student.Value,
                        student is null ? s.Student.Value : $"{student.LastName}, {student.FirstName}",
                        student?.Grade ?? 0,
                        building.FindRoom(s.Origin)?.Name ?? s.Origin.Value,
                        building.FindDestination(s.Destination)?.Name ?? s.Destination.Value,
                        s.AccountedAt,
                        s.AccountedIn is { } room ? building.FindRoom(room)?.Name ?? room.Value : null);
                })
                // The ones still missing first: they are who the office looks for.
                .OrderBy(s => s.AccountedAt is not null).ThenBy(s => s.Name, StringComparer.CurrentCulture)
                .ToList();
        return new EmergencyBoard(building.BuildingId, name, emergency?.Kind, emergency?.StartedAt, emergency?.StartedBy.Name, students, building.InHalls);
    }
}
