using System.Net;
using PassTrack.Contracts.Passes;
using PassTrack.Edge.Api;
using PassTrack.Edge.Passes;
using PassTrack.Edge.Security;
using PassTrack.Rules.Students;
using static PassTrack.Edge.Tests.Api.ApiClient;

namespace PassTrack.Edge.Tests.Api;

public class PassesApiTests
{
    private static object PassFor(Student student, string destination, object? rule = null) =>
        new { studentId = student.Id.Value, originRoomId = student.Homeroom!.Value.Value, destinationId = destination, @override = rule };

    [Fact]
    public async Task A_staff_pass_is_granted_then_shows_as_active_with_elapsed_time_and_turns_overdue()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var client = await edge.ClientAsync(Scopes.PassesRead, Scopes.PassesWrite);
        var student = edge.PlainStudents()[0];

        using var created = await client.PostJsonAsync("/api/passes", PassFor(student, "locker"));
        var decision = await created.ReadAsync<DecisionDto>();
        edge.Clock.Advance(TimeSpan.FromMinutes(5));
        using var active = await client.GetAsync("/api/passes/active", Ct);
        var open = await active.ReadAsync<OpenPassesDto>();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/passes/{decision.PassId}", created.Headers.Location?.OriginalString);
        Assert.Equal(Outcome.Granted, decision.Outcome);
        var pass = Assert.Single(open.Passes);
        Assert.Equal(decision.PassId, pass.Id);
        Assert.Equal(PassState.Active, pass.State);
        Assert.Equal(PassSource.StaffDashboard, pass.Source);
        Assert.Equal(TimeSpan.FromMinutes(5), pass.Elapsed);
        Assert.True(pass.Overdue, "The locker allows 4 minutes.");
        Assert.Equal(1, open.Out);
    }

    [Fact]
    public async Task A_full_destination_puts_the_next_student_in_line_with_a_position_and_a_freed_place_can_be_claimed()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var client = await edge.ClientAsync(Scopes.PassesRead, Scopes.PassesWrite);
        var students = edge.PlainStudents().Where(s => s.Homeroom!.Value.Value.StartsWith('A')).Take(3).ToList();

        var first = await (await client.PostJsonAsync("/api/passes", PassFor(students[0], "restroom-a-north"))).ReadAsync<DecisionDto>();
        await client.PostJsonAsync("/api/passes", PassFor(students[1], "restroom-a-north"));
        var third = await (await client.PostJsonAsync("/api/passes", PassFor(students[2], "restroom-a-north"))).ReadAsync<DecisionDto>();
        var waiting = (await (await client.GetAsync("/api/passes/active", Ct)).ReadAsync<OpenPassesDto>()).Passes.Single(p => p.Id == third.PassId);
        using var ended = await client.PostJsonAsync($"/api/passes/{first.PassId}/end", new { comment = "back from the restroom" });
        using var claimed = await client.PostAsync($"/api/passes/{third.PassId}/claim", null, Ct);

        Assert.Equal(Outcome.Queued, third.Outcome);
        Assert.Equal(PassState.Queued, waiting.State);
        Assert.Equal(1, waiting.QueuePosition);
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);
        Assert.Equal(Outcome.Granted, (await claimed.ReadAsync<DecisionDto>()).Outcome);
    }

    [Fact]
    public async Task Passes_waiting_for_approval_are_listed_and_can_be_approved_or_denied()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var client = await edge.ClientAsync(Scopes.PassesRead, Scopes.PassesWrite);
        var students = edge.PlainStudents();
        var toApprove = await edge.KioskRequestAsync(students[0], "dean");
        var toDeny = await edge.KioskRequestAsync(students[1], "dean");

        var pending = await (await client.GetAsync("/api/passes/approvals", Ct)).ReadAsync<List<PassDto>>();
        using var approved = await client.PostAsync($"/api/passes/{toApprove.Pass}/approve", null, Ct);
        using var denied = await client.PostJsonAsync($"/api/passes/{toDeny.Pass}/deny", new { comment = "see me after class" });
        using var deniedAgain = await client.PostJsonAsync($"/api/passes/{toDeny.Pass}/deny", new { comment = (string?)null });

        Assert.Equal(Outcome.PendingApproval, toApprove.Outcome);
        Assert.Equal(2, pending.Count);
        Assert.All(pending, p => Assert.Equal(PassState.PendingApproval, p.State));
        Assert.Equal(Outcome.Granted, (await approved.ReadAsync<DecisionDto>()).Outcome);
        Assert.Equal(HttpStatusCode.OK, denied.StatusCode);
        Assert.Equal(ReasonCode.Denied, (await denied.ReadAsync<DecisionDto>()).Reason);
        Assert.Equal(HttpStatusCode.NotFound, deniedAgain.StatusCode);
        Assert.Equal(nameof(ReasonCode.PassNotFound), await deniedAgain.ReasonAsync());
    }

    [Fact]
    public async Task Refusals_carry_the_reason_and_the_staff_explanation()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var client = await edge.ClientAsync(Scopes.PassesRead, Scopes.PassesWrite, Scopes.Emergency);
        var students = edge.PlainStudents();
        await client.PostJsonAsync("/api/passes", PassFor(students[0], "locker"));

        using var alreadyOut = await client.PostJsonAsync("/api/passes", PassFor(students[0], "library"));
        using var unknownDestination = await client.PostJsonAsync("/api/passes", PassFor(students[1], "roof"));
        using var missing = await client.PostJsonAsync("/api/passes/999/end", new { });
        await client.PostAsync("/api/emergency/lockdown", null, Ct);
        using var lockedDown = await client.PostJsonAsync("/api/passes", PassFor(students[2], "locker"));

        Assert.Equal(HttpStatusCode.Conflict, alreadyOut.StatusCode);
        Assert.Equal(nameof(ReasonCode.AlreadyOut), await alreadyOut.ReasonAsync());
        Assert.Contains("already out", (await alreadyOut.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, unknownDestination.StatusCode);
        Assert.Equal(nameof(ReasonCode.UnknownDestination), await unknownDestination.ReasonAsync());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(nameof(ReasonCode.PassNotFound), await missing.ReasonAsync());
        Assert.Equal(HttpStatusCode.Conflict, lockedDown.StatusCode);
        Assert.Equal(nameof(ReasonCode.Lockdown), await lockedDown.ReasonAsync());
    }

    [Fact]
    public async Task An_override_needs_a_comment_and_overriding_encounter_prevention_needs_the_encounters_scope()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var teacher = await edge.ClientAsync(Scopes.PassesWrite);
        using var counselor = await edge.ClientAsync(Scopes.PassesWrite, Scopes.Encounters);
        var students = edge.PlainStudents();

        using var noComment = await teacher.PostJsonAsync("/api/passes", PassFor(students[0], "locker", new { comment = " " }));
        using var notPermitted = await teacher.PostJsonAsync("/api/passes", PassFor(students[0], "locker", new { comment = "nurse called", includingEncounter = true }));
        using var permitted = await counselor.PostJsonAsync("/api/passes", PassFor(students[0], "locker", new { comment = "nurse called", includingEncounter = true }));

        Assert.Equal(HttpStatusCode.BadRequest, noComment.StatusCode);
        Assert.True((await noComment.JsonAsync()).GetProperty("errors").TryGetProperty("override.comment", out _));
        Assert.Equal(HttpStatusCode.Forbidden, notPermitted.StatusCode);
        Assert.Equal(nameof(ReasonCode.NotPermitted), await notPermitted.ReasonAsync());
        Assert.Equal(HttpStatusCode.Created, permitted.StatusCode);
        Assert.Equal(ReasonCode.StaffOverride, (await permitted.ReadAsync<DecisionDto>()).Reason);
    }

    [Fact]
    public async Task One_pass_is_read_live_today_and_from_the_store_once_the_day_has_passed()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var client = await edge.ClientAsync(Scopes.PassesRead, Scopes.PassesWrite);
        var student = edge.PlainStudents()[0];
        var created = await (await client.PostJsonAsync("/api/passes", PassFor(student, "locker"))).ReadAsync<DecisionDto>();
        edge.Clock.Advance(TimeSpan.FromMinutes(3));
        await client.PostJsonAsync($"/api/passes/{created.PassId}/end", new { });
        var today = await (await client.GetAsync($"/api/passes/{created.PassId}", Ct)).ReadAsync<PassDto>();

        // The next day's first event lets yesterday's passes go from memory; the store still tells their story.
        edge.Clock.Advance(TimeSpan.FromDays(1));
        await client.PostJsonAsync("/api/passes", PassFor(edge.PlainStudents()[1], "locker"));
        Assert.Null(await edge.Writer.ReadAsync(b => b.FindPass(new Rules.PassId(long.Parse(created.PassId!, System.Globalization.CultureInfo.InvariantCulture))), Ct));
        var later = await (await client.GetAsync($"/api/passes/{created.PassId}", Ct)).ReadAsync<PassDto>();
        using var unknown = await client.GetAsync("/api/passes/424242", Ct);

        Assert.Equal(PassState.Ended, today.State);
        Assert.Equal(today with { StudentName = later.StudentName }, later);
        Assert.Equal(student.FullName, later.StudentName);
        Assert.Equal(TimeSpan.FromMinutes(3), later.Elapsed);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
