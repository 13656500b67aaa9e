using PassTrack.Contracts.Passes;
using PassTrack.Rules;
using PassTrack.Rules.Passes;

namespace PassTrack.Dashboard.Teacher;

/// <summary>One pass as a teacher's board shows it.</summary>
public sealed record PassView(
    long PassId,
    string StudentId,
    string StudentName,
    string DestinationName,
    PassState State,
    DateTimeOffset Since,
    DateTimeOffset? DueBack,
    bool FlaggedOverdue,
    int? QueuePosition,
    string? Comment)
{
    /// <summary>How the elapsed time reads: fine, close to the limit (the last fifth), or past it.</summary>
    public Urgency UrgencyAt(DateTimeOffset now)
    {
        if (FlaggedOverdue || DueBack is { } due && now > due)
        {
            return Urgency.Overdue;
        }
        if (DueBack is { } dueBack && State == PassState.Active)
        {
            var limit = dueBack - Since;
            return now >= dueBack - limit / 5 ? Urgency.Warning : Urgency.Fine;
        }
        return Urgency.Fine;
    }

    /// <summary>Minutes and seconds since the pass started (or since it began to wait): "4:07", "1:02:15".</summary>
    public static string Elapsed(DateTimeOffset since, DateTimeOffset now)
    {
        var span = now - since;
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }
        return span.TotalHours >= 1 ? $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}" : $"{(int)span.TotalMinutes}:{span.Seconds:00}";
    }
}

public enum Urgency
{
    Fine,
    Warning,
    Overdue,
}

/// <summary>A student a teacher can make a pass for.</summary>
public sealed record StudentChoice(string StudentId, string Name, int Grade);

/// <summary>A destination a teacher can send a student to.</summary>
public sealed record DestinationChoice(string DestinationId, string Name, bool Open);

/// <summary>
/// What a teacher's board shows for one room, read from the district's replica of the building in one go (under its
/// lock): the room's students out now, those waiting for approval, those in a line with their places, the emergency.
/// It is read again on every change to the building, so it holds only the room's passes; the class list for a new
/// pass is read when the form opens (<see cref="ClassList"/>).
/// </summary>
public sealed record RoomBoard(
    string BuildingId,
    string RoomId,
    string RoomName,
    IReadOnlyList<PassView> Out,
    IReadOnlyList<PassView> Waiting,
    IReadOnlyList<PassView> InLine,
    string? Emergency)
{
    /// <summary>Every student the board shows a pass for: what the audit log records.</summary>
    public IEnumerable<string> StudentsShown => Out.Concat(Waiting).Concat(InLine).Select(p => p.StudentId);

    public static RoomBoard? Read(Building building, string roomId)
    {
        var room = building.FindRoom(new RoomId(roomId));
        if (room is null)
        {
            return null;
        }
        var passes = building.OpenPasses.Where(p => p.Origin == room.Id).ToList();
        return new RoomBoard(
            building.BuildingId,
            room.Id.Value,
            room.Name,
            [.. passes.Where(p => p.State == PassState.Active).Select(p => View(building, p)).OrderBy(p => p.Since)],
            [.. passes.Where(p => p.State == PassState.PendingApproval).Select(p => View(building, p)).OrderBy(p => p.Since)],
            [.. passes.Where(p => p.State == PassState.Queued).Select(p => View(building, p)).OrderBy(p => p.QueuePosition)],
            building.Emergency is { } emergency ? emergency.Kind.ToString() : null);
    }

    /// <summary>The room's students (homeroom or timetable) by name, and the destinations open now, for a new pass.</summary>
    public static (IReadOnlyList<StudentChoice> Students, IReadOnlyList<DestinationChoice> Destinations) ClassList(Building building, string roomId)
    {
        var room = new RoomId(roomId);
        var students = building.Students
            .Where(s => s.Enrolled && (s.Homeroom == room || s.Timetable.Values.Contains(room)))
            .OrderBy(s => s.LastName, StringComparer.CurrentCulture).ThenBy(s => s.FirstName, StringComparer.CurrentCulture)
            .Select(s => new StudentChoice(s.Id.Value, $"{s.LastName}, {s.FirstName}", s.Grade))
            .ToList();
        var destinations = building.Destinations
            .Where(d => d.Open)
            .OrderBy(d => d.Name, StringComparer.CurrentCulture)
            .Select(d => new DestinationChoice(d.Id.Value, d.Name, d.Open))
            .ToList();
        return (students, destinations);
    }

    private static PassView View(Building building, Pass pass)
    {
        var student = building.FindStudent(pass.Student);
        var destination = building.FindDestination(pass.Destination);
        return new PassView(
            pass.Id.Value,
            pass.Student.Value,
            student is null ? pass.Student.Value : $"{student.FirstName} {student.LastName}",
            destination?.Name ?? pass.Destination.Value,
            pass.State ?? PassState.Scheduled,
            pass.StartedAt ?? pass.QueuedAt ?? pass.CreatedAt,
            pass.DueBack,
            pass.Overdue,
            pass.State == PassState.Queued ? building.QueuePosition(pass) : null,
            pass.Comment);
    }
}
