using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PassTrack.Contracts.Passes;
using PassTrack.Dashboard.Access;
using PassTrack.Edge.Tests.Kiosks;
using PassTrack.Rules;

namespace PassTrack.Dashboard.Tests.Teacher;

/// <summary>
/// The room board end to end: a real edge with a kiosk on MQTT, linked to the district, and the teacher's page in
/// Chromium. What a student does at the kiosk shows on the teacher's screen without a reload, and what the teacher
/// clicks is done by the edge.
/// </summary>
public sealed class TeacherPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A teacher of A101 signed in, on her empty board.</summary>
    private static async Task<LinkedSite> StartAsync(string teacher)
    {
        var linked = await BrowserSite.LinkedAsync(teacher, Roles.Teacher, "A101");
        await Assertions.Expect(linked.Page.Locator("section[aria-label='Out now']")).ToContainTextAsync("Out now (0)");
        return linked;
    }

    [Fact]
    public async Task A_pass_taken_at_the_kiosk_appears_on_the_board_and_the_teacher_ends_it()
    {
        await using var linked = await StartAsync("ruiz");
        var (site, edge, _, page) = linked;
        await using var kiosk = await KioskTestSupport.KioskInAsync(edge, "A101");
        var student = KioskTestSupport.PlainStudents(edge).First(s => s.Homeroom?.Value == "A101");
        var name = $"{student.FirstName} {student.LastName}";

        var tap = await kiosk.ScanAsync(KioskTestSupport.Card(student));
        var granted = await kiosk.ChooseAsync(tap.ScanId, "library");
        Assert.Equal(Outcome.Granted, granted.Outcome);

        var card = page.Locator("section[aria-label='Out now'] .pt-card", new PageLocatorOptions { HasText = name });
        await Assertions.Expect(card).ToContainTextAsync("Library");
        await Assertions.Expect(page.Locator("section[aria-label='Notifications']")).ToContainTextAsync($"{name} left for Library");
        await BrowserSite.ScreenshotAsync(page, "teacher-pass-out");

        await card.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "End" }).ClickAsync();
        await Assertions.Expect(card).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("section[aria-label='Notifications']")).ToContainTextAsync($"{name}'s pass to Library was ended");
        var passId = new PassId(long.Parse(granted.PassId!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(PassState.Ended, await edge.Writer.ReadAsync(b => b.FindPass(passId)?.State, Ct));
        var ended = await edge.Writer.ReadAsync(b => b.FindPass(passId)?.EndedBy, Ct);
        Assert.Contains("Ms ruiz", ended?.Name, StringComparison.Ordinal);

        // Who saw which student, from where, is in the audit log.
        var audit = site.District.Services.GetRequiredService<IDbContextFactory<AccessDb>>();
        await using var db = await audit.CreateDbContextAsync(Ct);
        var seen = await db.Audit.Include(a => a.Students).Where(a => a.UserName == "ruiz").ToListAsync(Ct);
        var entry = Assert.Single(seen, a => a.Students.Any(s => s.StudentId == student.Id.Value));
        Assert.Equal(Roles.Teacher, entry.Role);
        Assert.Equal("room board, room A101", entry.What);
        Assert.Equal("127.0.0.1", entry.Address);
    }

    [Fact]
    public async Task A_request_that_needs_approval_waits_on_the_board_until_the_teacher_approves_it()
    {
        await using var linked = await StartAsync("chen");
        var (site, edge, _, page) = linked;
        await using var kiosk = await KioskTestSupport.KioskInAsync(edge, "A101");
        var student = KioskTestSupport.PlainStudents(edge).First(s => s.Homeroom?.Value == "A101");
        var name = $"{student.FirstName} {student.LastName}";

        var tap = await kiosk.ScanAsync(KioskTestSupport.Card(student));
        Assert.Equal(Outcome.PendingApproval, (await kiosk.ChooseAsync(tap.ScanId, "dean")).Outcome);

        var waiting = page.Locator("section[aria-label='Waiting for approval'] .pt-card", new PageLocatorOptions { HasText = name });
        await Assertions.Expect(waiting).ToContainTextAsync("Dean");
        await BrowserSite.ScreenshotAsync(page, "teacher-approval");
        await waiting.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Approve" }).ClickAsync();

        await Assertions.Expect(waiting).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("section[aria-label='Out now'] .pt-card", new PageLocatorOptions { HasText = name })).ToContainTextAsync("Dean");
        Assert.Equal(PassState.Active, await edge.Writer.ReadAsync(b => b.OpenPassOf(student.Id)?.State, Ct));
    }

    [Fact]
    public async Task The_teacher_makes_a_pass_for_a_student_of_the_room()
    {
        await using var linked = await StartAsync("park");
        var (site, edge, _, page) = linked;
        var student = KioskTestSupport.PlainStudents(edge).First(s => s.Homeroom?.Value == "A101");

        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Make a pass for a student" }).ClickAsync();
        var form = page.GetByLabel("New pass");
        await form.Locator(".rz-dropdown").Nth(0).ClickAsync();
        await page.Locator(".rz-dropdown-item", new PageLocatorOptions { HasText = $"{student.LastName}, {student.FirstName}" }).First.ClickAsync();
        await form.Locator(".rz-dropdown").Nth(1).ClickAsync();
        await page.Locator(".rz-dropdown-item", new PageLocatorOptions { HasText = "Library" }).First.ClickAsync();
        await form.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Send" }).ClickAsync();

        var card = page.Locator("section[aria-label='Out now'] .pt-card", new PageLocatorOptions { HasText = $"{student.FirstName} {student.LastName}" });
        await Assertions.Expect(card).ToContainTextAsync("Library");
        var pass = await edge.Writer.ReadAsync(b => b.OpenPassOf(student.Id), Ct);
        Assert.Equal(PassState.Active, pass?.State);
        Assert.Equal(PassSource.StaffDashboard, pass!.Source);
        Assert.Contains("Ms park", pass.CreatedBy.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_teacher_sees_only_their_own_room()
    {
        await using var linked = await StartAsync("novak");
        var (site, edge, _, page) = linked;
        await using var kiosk = await KioskTestSupport.KioskInAsync(edge, "A102");
        var other = KioskTestSupport.PlainStudents(edge).First(s => s.Homeroom?.Value == "A102");
        var tap = await kiosk.ScanAsync(KioskTestSupport.Card(other));
        Assert.Equal(Outcome.Granted, (await kiosk.ChooseAsync(tap.ScanId, "library")).Outcome);

        // Asking for another room by address gives the teacher's own room, and no room picker.
        await page.GotoAsync(site.Url("/teacher?building=lincoln-hs&room=A102"));
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("room=A101"));
        await Assertions.Expect(page.Locator("section[aria-label='Out now']")).ToContainTextAsync("Out now (0)");
        Assert.Equal(0, await page.GetByRole(AriaRole.Combobox, new PageGetByRoleOptions { Name = "Room" }).CountAsync());
        Assert.DoesNotContain(other.LastName, await page.ContentAsync(), StringComparison.Ordinal);
    }
}
