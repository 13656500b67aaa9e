using PassTrack.Contracts.Passes;
using PassTrack.Dashboard.Teacher;
using PassTrack.Rules;
using PassTrack.Rules.Demo;
using PassTrack.Rules.Passes;

namespace PassTrack.Dashboard.Tests.Teacher;

/// <summary>
/// The board and the notifications read from a real rules building (the demo school), driven by the same commands an
/// edge handles: what a teacher sees of their room is what the building decided.
/// </summary>
public sealed class RoomBoardTests
{
    // 10:05 on the demo school's Tuesday: second period.
    private static readonly DateTimeOffset InClass = new(2026, 12, 1, 15, 5, 0, TimeSpan.Zero);
    private static readonly Actor Office = Actor.Staff("office", "Front office", StaffPermissions.ApprovePasses | StaffPermissions.ApproveAnyPass | StaffPermissions.EndPasses | StaffPermissions.CreatePasses);

    private readonly Building _building = new(DemoSchool.Create(DemoSchoolSize.Typical));
    private readonly List<BuildingEvent> _events = [];

    private List<Rules.Students.Student> StudentsOf(string room) =>
        [.. _building.Students.Where(s => s.Homeroom?.Value == room && s.Profile.RestrictedDestinations.Count == 0 && s.Profile.DailyLimit is null)];

    private Rules.Decisions.Decision Handle(BuildingCommand command)
    {
        var decision = _building.Handle(command);
        _events.AddRange(_building.TakeEvents());
        return decision;
    }

    /// <summary>A student's own request at their room's kiosk: the dean's office must approve it.</summary>
    private static RequestPass AtKiosk(Rules.Students.Student student, string destination) =>
        new(student.Id, student.Homeroom!.Value, new DestinationId(destination), PassSource.Kiosk, InClass, Actor.OfStudent(student.Id));

    [Fact]
    public void A_room_shows_its_students_out_waiting_and_in_line_by_name_and_not_other_rooms_students()
    {
        var a101 = StudentsOf("A101");
        var elsewhere = StudentsOf("A102")[0];
        var granted = Handle(new RequestPass(a101[0].Id, new RoomId("A101"), new DestinationId("library"), PassSource.StaffDashboard, InClass, Office));
        var asking = Handle(AtKiosk(a101[1], "dean"));
        Handle(new RequestPass(elsewhere.Id, new RoomId("A102"), new DestinationId("library"), PassSource.StaffDashboard, InClass, Office));
        Assert.Equal(Outcome.Granted, granted.Outcome);
        Assert.Equal(Outcome.PendingApproval, asking.Outcome);

        var board = RoomBoard.Read(_building, "A101")!;

        var out1 = Assert.Single(board.Out);
        Assert.Equal($"{a101[0].FirstName} {a101[0].LastName}", out1.StudentName);
        Assert.Equal("Library", out1.DestinationName);
        Assert.Equal(InClass, out1.Since);
        Assert.NotNull(out1.DueBack);
        var waiting = Assert.Single(board.Waiting);
        Assert.Equal(a101[1].Id.Value, waiting.StudentId);
        Assert.Empty(board.InLine);
        Assert.DoesNotContain(elsewhere.Id.Value, board.StudentsShown);
        var (classList, destinations) = RoomBoard.ClassList(_building, "A101");
        Assert.Contains(classList, s => s.StudentId == a101[2].Id.Value);
        Assert.DoesNotContain(classList, s => s.StudentId == elsewhere.Id.Value);
        Assert.Contains(destinations, d => d.Name == "Library");
        Assert.Null(RoomBoard.Read(_building, "NO-SUCH-ROOM"));
    }

    [Fact]
    public void Urgency_follows_the_pass_limit()
    {
        var student = StudentsOf("A101")[0];
        Handle(new RequestPass(student.Id, new RoomId("A101"), new DestinationId("library"), PassSource.StaffDashboard, InClass, Office));
        var pass = Assert.Single(RoomBoard.Read(_building, "A101")!.Out);
        var limit = pass.DueBack!.Value - pass.Since;

        Assert.Equal(Urgency.Fine, pass.UrgencyAt(InClass + limit / 2));
        Assert.Equal(Urgency.Warning, pass.UrgencyAt(InClass + limit * 9 / 10));
        Assert.Equal(Urgency.Overdue, pass.UrgencyAt(InClass + limit + TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void The_teacher_is_told_of_their_own_students_leaving_asking_returning_and_of_a_lockdown_only()
    {
        var a101 = StudentsOf("A101");
        var granted = Handle(new RequestPass(a101[0].Id, new RoomId("A101"), new DestinationId("library"), PassSource.StaffDashboard, InClass, Office));
        Handle(AtKiosk(a101[1], "dean"));
        Handle(new RequestPass(StudentsOf("A102")[0].Id, new RoomId("A102"), new DestinationId("library"), PassSource.StaffDashboard, InClass, Office));
        Handle(new EndPass(granted.Pass!.Value, InClass.AddMinutes(3), Office));
        Handle(new Rules.Emergencies.StartEmergency(Rules.Emergencies.EmergencyKind.Lockdown, InClass.AddMinutes(4), Actor.Staff("p", "Principal", StaffPermissions.Emergency)));

        var notices = RoomNotices.From(_building, "A101", _events);

        var name0 = $"{a101[0].FirstName} {a101[0].LastName}";
        var name1 = $"{a101[1].FirstName} {a101[1].LastName}";
        Assert.Equal(
            [$"{name0} left for Library", $"{name1} asks to go to Dean: waiting for approval", $"{name0}'s pass to Library was ended", "LOCKDOWN: keep your students in the room"],
            notices.Select(n => n.Text));
        Assert.Equal([false, true, false, true], notices.Select(n => n.Sound));
        Assert.True(notices[^1].Urgent);
        Assert.Equal(notices.Select(n => n.Sequence).Order(), notices.Select(n => n.Sequence));
    }
}
