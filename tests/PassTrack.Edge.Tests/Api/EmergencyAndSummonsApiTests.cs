using System.Net;
using PassTrack.Contracts.Passes;
using PassTrack.Edge.Api;
using PassTrack.Edge.Emergencies;
using PassTrack.Edge.Passes;
using PassTrack.Edge.Scheduling;
using PassTrack.Edge.Security;
using PassTrack.Edge.Summons;
using PassTrack.Rules.Emergencies;
using PassTrack.Rules.Summons;
using static PassTrack.Edge.Tests.Api.ApiClient;

namespace PassTrack.Edge.Tests.Api;

public class EmergencyAndSummonsApiTests
{
    [Fact]
    public async Task A_lockdown_ends_every_pass_and_lists_who_was_out_until_cleared()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var client = await edge.ClientAsync(Scopes.Emergency, Scopes.PassesRead);
        var students = edge.PlainStudents();
        var out1 = await edge.KioskRequestAsync(students[0], "locker");
        var out2 = await edge.KioskRequestAsync(students[1], "library");

        using var locked = await client.PostAsync("/api/emergency/lockdown", null, Ct);
        var status = await locked.ReadAsync<EmergencyStatusDto>();
        var active = await (await client.GetAsync("/api/passes/active", Ct)).ReadAsync<OpenPassesDto>();
        using var cleared = await client.PostAsync("/api/emergency/clear", null, Ct);
        using var clearedAgain = await client.PostAsync("/api/emergency/clear", null, Ct);
        var after = await (await client.GetAsync("/api/emergency", Ct)).ReadAsync<EmergencyStatusDto>();

        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.True(status.Active);
        Assert.Equal(EmergencyKind.Lockdown, status.Kind);
        Assert.Equal(2, status.Unaccounted);
        Assert.Equal([out1.Pass!.Value.ToString(), out2.Pass!.Value.ToString()], status.StudentsOut.Select(s => s.PassId));
        Assert.Equal(students[0].FullName, status.StudentsOut[0].StudentName);
        Assert.Empty(active.Passes);
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, clearedAgain.StatusCode);
        Assert.Equal("No emergency is in force.", (await clearedAgain.JsonAsync()).GetProperty("detail").GetString());
        Assert.False(after.Active);
    }

    [Fact]
    public async Task A_fire_drill_needs_the_emergency_scope()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var reader = await edge.ClientAsync(Scopes.PassesRead, Scopes.PassesWrite);
        using var office = await edge.ClientAsync(Scopes.Emergency);

        using var refused = await reader.PostAsync("/api/emergency/fire-drill", null, Ct);
        using var drill = await office.PostAsync("/api/emergency/fire-drill", null, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(EmergencyKind.FireDrill, (await drill.ReadAsync<EmergencyStatusDto>()).Kind);
    }

    [Fact]
    public async Task A_summons_is_listed_until_cancelled_and_a_repeat_or_a_second_cancel_is_refused()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var client = await edge.ClientAsync(Scopes.PassesRead, Scopes.PassesWrite);
        var student = edge.PlainStudents()[0];
        var body = new { studentIds = new[] { student.Id.Value }, destinationId = "office", priority = "Urgent", note = "Parent pickup" };

        using var created = await client.PostJsonAsync("/api/summons", body);
        var made = Assert.Single(await created.ReadAsync<List<SummonsDto>>());
        using var repeat = await client.PostJsonAsync("/api/summons", body);
        var listed = await (await client.GetAsync("/api/summons", Ct)).ReadAsync<List<SummonsDto>>();
        using var cancelled = await client.DeleteAsync($"/api/summons/{made.Id}", Ct);
        using var cancelledAgain = await client.DeleteAsync($"/api/summons/{made.Id}", Ct);
        using var unknown = await client.DeleteAsync("/api/summons/999", Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal((student.Id.Value, "office", SummonsPriority.Urgent, SummonsState.Pending), (made.StudentId, made.DestinationId, made.Priority, made.State));
        Assert.Equal(HttpStatusCode.Conflict, repeat.StatusCode);
        Assert.Equal(made.Id, Assert.Single(listed).Id);
        Assert.Equal(HttpStatusCode.NoContent, cancelled.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, cancelledAgain.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_summons_without_students_or_a_place_is_a_validation_error()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var client = await edge.ClientAsync(Scopes.PassesWrite);

        using var response = await client.PostJsonAsync("/api/summons", new { studentIds = Array.Empty<string>() });
        var errors = (await response.JsonAsync()).GetProperty("errors");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(errors.TryGetProperty("studentIds", out _));
        Assert.True(errors.TryGetProperty("destinationId", out _));
    }

    [Fact]
    public async Task A_scheduled_pass_is_listed_until_cancelled_and_recurring_passes_are_saved_and_removed()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var client = await edge.ClientAsync(Scopes.PassesRead, Scopes.PassesWrite);
        var student = edge.PlainStudents()[0];
        var startAt = edge.Clock.GetUtcNow().AddMinutes(30);

        using var scheduled = await client.PostJsonAsync("/api/scheduled-passes",
            new SchedulePassRequest(student.Id.Value, student.Homeroom!.Value.Value, "nurse", startAt, "Medication"));
        var passId = (await scheduled.ReadAsync<DecisionDto>()).PassId;
        var listed = await (await client.GetAsync("/api/scheduled-passes", Ct)).ReadAsync<List<PassDto>>();
        using var cancelled = await client.DeleteAsync($"/api/scheduled-passes/{passId}", Ct);
        using var cancelledAgain = await client.DeleteAsync($"/api/scheduled-passes/{passId}", Ct);
        using var past = await client.PostJsonAsync("/api/scheduled-passes",
            new SchedulePassRequest(student.Id.Value, student.Homeroom!.Value.Value, "nurse", startAt.AddDays(-1)));

        var recurring = new RecurringPassDto("meds-1", student.Id.Value, student.Homeroom!.Value.Value, "nurse", new TimeOnly(10, 30), [DayOfWeek.Monday, DayOfWeek.Thursday], new DateOnly(2026, 12, 1));
        using var saved = await client.PutJsonAsync("/api/recurring-passes/meds-1", recurring);
        var all = await (await client.GetAsync("/api/recurring-passes", Ct)).ReadAsync<List<RecurringPassDto>>();
        using var unknownStudent = await client.PutJsonAsync("/api/recurring-passes/meds-2", recurring with { Id = "meds-2", StudentId = "nobody" });
        using var removed = await client.DeleteAsync("/api/recurring-passes/meds-1", Ct);
        using var removedAgain = await client.DeleteAsync("/api/recurring-passes/meds-1", Ct);

        Assert.Equal(HttpStatusCode.Created, scheduled.StatusCode);
        var pass = Assert.Single(listed);
        Assert.Equal((passId, PassState.Scheduled, startAt), (pass.Id, pass.State, pass.ScheduledFor));
        Assert.Equal(HttpStatusCode.NoContent, cancelled.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, cancelledAgain.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(recurring.Days, Assert.Single(all).Days);
        Assert.Equal(HttpStatusCode.Conflict, unknownStudent.StatusCode);
        Assert.Equal(nameof(ReasonCode.InvalidConfiguration), await unknownStudent.ReasonAsync());
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, removedAgain.StatusCode);
    }
}
