using System.Net;
using PassTrack.Contracts.Passes;
using PassTrack.Edge.Api;
using PassTrack.Edge.Passes;
using PassTrack.Edge.Security;
using static PassTrack.Edge.Tests.Api.ApiClient;

namespace PassTrack.Edge.Tests.Api;

public class HistoryAndAuditTests
{
    [Fact]
    public async Task History_pages_a_students_passes_newest_first_from_the_event_log()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var client = await edge.ClientAsync(Scopes.PassesRead, Scopes.PassesWrite);
        var student = edge.PlainStudents()[0];
        var other = edge.PlainStudents()[1];
        var ids = new List<string>();
        foreach (var destination in new[] { "locker", "library", "water-a" })
        {
            var pass = await (await client.PostJsonAsync("/api/passes", new { studentId = student.Id.Value, originRoomId = student.Homeroom!.Value.Value, destinationId = destination })).ReadAsync<DecisionDto>();
            ids.Add(pass.PassId!);
            edge.Clock.Advance(TimeSpan.FromMinutes(2));
            await client.PostJsonAsync($"/api/passes/{pass.PassId}/end", new { });
        }
        await client.PostJsonAsync("/api/passes", new { studentId = other.Id.Value, originRoomId = other.Homeroom!.Value.Value, destinationId = "locker" });

        using var first = await client.GetAsync($"/api/passes/history?student={student.Id.Value}&pageSize=2", Ct);
        var page1 = await first.ReadAsync<Page<PassDto>>();
        var page2 = await (await client.GetAsync($"/api/passes/history?student={student.Id.Value}&pageSize=2&page=2", Ct)).ReadAsync<Page<PassDto>>();
        var sameDay = await (await client.GetAsync("/api/passes/history?from=2026-12-01&to=2026-12-01", Ct)).ReadAsync<Page<PassDto>>();
        var dayBefore = await (await client.GetAsync("/api/passes/history?to=2026-11-30", Ct)).ReadAsync<Page<PassDto>>();
        using var backwards = await client.GetAsync("/api/passes/history?from=2026-12-02&to=2026-12-01", Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(3, page1.Total);
        Assert.Equal([ids[2], ids[1]], page1.Items.Select(p => p.Id));
        Assert.Equal([ids[0]], page2.Items.Select(p => p.Id));
        Assert.All(page1.Items.Concat(page2.Items), p => Assert.Equal(PassState.Ended, p.State));
        Assert.All(page1.Items, p => Assert.Equal(TimeSpan.FromMinutes(2), p.Elapsed));
        Assert.Equal(4, sameDay.Total);
        Assert.Equal(0, dayBefore.Total);
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
    }

    [Fact]
    public async Task Every_read_of_student_data_and_every_write_leaves_an_audit_entry()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var client = await edge.ClientAsync(Scopes.PassesRead, Scopes.PassesWrite);
        var student = edge.PlainStudents()[0];

        await client.GetAsync("/api/passes/active", Ct);
        await client.GetAsync($"/api/students/{student.Id.Value}", Ct);
        await client.GetAsync($"/api/passes/history?student={student.Id.Value}", Ct);
        await client.PostJsonAsync("/api/passes", new { studentId = student.Id.Value, originRoomId = student.Homeroom!.Value.Value, destinationId = "locker" });
        await client.GetAsync("/api/passes/77", Ct);
        var audit = await edge.AuditAsync();

        Assert.Equal(["passes.active.read", "students.read", "passes.history.read", "passes.create", "passes.read"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal("test-passes:read-passes:write", a.Actor));
        Assert.Equal($"/api/students/{student.Id.Value} -> 200", audit[1].Target);
        Assert.Equal($"/api/passes/history?student={student.Id.Value} -> 200", audit[2].Target);
        Assert.Equal("/api/passes -> 201", audit[3].Target);
        Assert.Equal("/api/passes/77 -> 404", audit[4].Target);
        Assert.All(audit, a => Assert.Equal(edge.Clock.GetUtcNow().ToUnixTimeMilliseconds(), a.AtUnixMs));
    }

    [Fact]
    public async Task A_request_refused_for_its_key_reads_nothing_and_is_not_audited()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var client = await edge.ClientAsync(Scopes.Events);

        using var response = await client.GetAsync($"/api/students/{edge.PlainStudents()[0].Id.Value}", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await edge.AuditAsync());
    }
}
