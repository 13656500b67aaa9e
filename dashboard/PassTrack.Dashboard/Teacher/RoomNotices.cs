using PassTrack.Contracts.Passes;
using PassTrack.Rules;
using PassTrack.Rules.Emergencies;
using PassTrack.Rules.Passes;

namespace PassTrack.Dashboard.Teacher;

/// <summary>A line in a teacher's notifications. <see cref="Sound"/>: it asks for the teacher's attention.</summary>
public sealed record Notice(long Sequence, DateTimeOffset At, string Text, string? StudentId, bool Sound, bool Urgent);

/// <summary>What a room's teacher is told of a stretch of the building's log: their students leaving, coming back,
/// asking for approval, running late, and emergencies.</summary>
public static class RoomNotices
{
    /// <summary>Reads <paramref name="events"/> against the replica (call it under the replica's lock, after they were applied).</summary>
    public static List<Notice> From(Building building, string roomId, IEnumerable<BuildingEvent> events)
    {
        var room = new RoomId(roomId);
        var notices = new List<Notice>();
        foreach (var e in events)
        {
            switch (e)
            {
                case PassTransitioned t when building.FindPass(t.Pass) is { } pass && pass.Origin == room:
                    if (Describe(t, Name(building, pass), Place(building, pass)) is { } text)
                    {
                        var asks = t.To == PassState.PendingApproval;
                        notices.Add(new Notice(e.Sequence, e.At, text, pass.Student.Value, asks, false));
                    }
                    break;
                case PassOverdue o when o.Origin == room:
                    notices.Add(new Notice(e.Sequence, e.At, $"{Name(building, o.Student)} is overdue from {Place(building, o.Destination)}", o.Student.Value, true, true));
                    break;
                case EmergencyStarted s:
                    notices.Add(new Notice(e.Sequence, e.At, s.Kind == EmergencyKind.Lockdown ? "LOCKDOWN: keep your students in the room" : "Fire drill: evacuate", null, true, true));
                    break;
                case EmergencyCleared c:
                    notices.Add(new Notice(e.Sequence, e.At, $"{(c.Kind == EmergencyKind.Lockdown ? "Lockdown" : "Fire drill")} is over", null, false, false));
                    break;
            }
        }
        return notices;
    }

    private static string? Describe(PassTransitioned t, string student, string place) => t.To switch
    {
        PassState.Active => $"{student} left for {place}",
        PassState.Completed => $"{student} is back from {place}",
        PassState.PendingApproval => $"{student} asks to go to {place}: waiting for approval",
        PassState.Queued => $"{student} is in line for {place}",
        PassState.Denied => $"{student}'s pass to {place} was denied",
        PassState.Expired => $"{student}'s request for {place} expired",
        PassState.Ended or PassState.Terminated => $"{student}'s pass to {place} was ended",
        _ => null,
    };

    private static string Name(Building building, Pass pass) => Name(building, pass.Student);

    private static string Name(Building building, StudentId id) =>
        building.FindStudent(id) is { } s ? $"{s.FirstName} {s.LastName}" : id.Value;

    private static string Place(Building building, Pass pass) => Place(building, pass.Destination);

    private static string Place(Building building, DestinationId id) => building.FindDestination(id)?.Name ?? id.Value;
}
