using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PassTrack.Contracts.Passes;
using PassTrack.Dashboard.Access;
using PassTrack.Dashboard.Federation;
using PassTrack.Edge.Tests.Kiosks;

namespace PassTrack.Dashboard.Tests.Admin;

/// <summary>
/// The encounter groups page in Chromium against a real edge: a group made on the page is enforced by the edge at the
/// kiosk, the attempt it blocks shows in the page's log, and the students the page showed are in the audit log.
/// </summary>
public sealed class EncountersPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_admin_makes_a_group_that_the_edge_enforces_and_the_blocked_attempt_shows_in_the_log()
    {
        await using var linked = await BrowserSite.LinkedAsync("okafor", Roles.Admin);
        var (site, edge, building, page) = linked;
        var replicas = site.District.Services.GetRequiredService<BuildingReplicas>();
        await using var kiosk = await KioskTestSupport.KioskInAsync(edge, "A101");
        var pair = KioskTestSupport.PlainStudents(edge).Where(s => s.Homeroom?.Value == "A101").Take(2).ToList();
        Assert.Equal(2, pair.Count);
        var (first, second) = (pair[0], pair[1]);

        await page.GotoAsync(site.Url("/admin/encounters"));
        var groups = page.Locator("[aria-label='Encounter groups']");
        // The demo school's own groups, from the replica.
        await Assertions.Expect(groups).ToContainTextAsync("group-1");

        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "New group" }).ClickAsync();
        var form = page.GetByLabel("New encounter group");
        await form.Locator("input[name=groupId]").FillAsync("keep-apart");
        await form.Locator("div[aria-label='Members']").ClickAsync();
        var search = page.Locator(".rz-multiselect-filter-container input");
        foreach (var student in pair)
        {
            // Searched by name, as a counselor would: the list holds every student of the building.
            await search.FillAsync("");
            await search.PressSequentiallyAsync($"{student.LastName}, {student.FirstName}");
            await page.Locator(".rz-multiselect-item", new PageLocatorOptions { HasText = $"{student.LastName}, {student.FirstName} (grade {student.Grade}, {student.Id.Value})" }).ClickAsync();
        }
        await page.Keyboard.PressAsync("Escape");
        await form.Locator("input[name=note]").FillAsync("No contact after the March incident");
        await form.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Group keep-apart saved.");

        var saved = await edge.Writer.ReadAsync(b => b.EncounterGroups.SingleOrDefault(g => g.Id.Value == "keep-apart"), Ct);
        Assert.NotNull(saved);
        Assert.Equal(pair.Select(s => s.Id.Value).Order(StringComparer.Ordinal), saved.Members.Select(m => m.Value).Order(StringComparer.Ordinal));
        Assert.Equal("No contact after the March incident", saved.Note);
        // It comes back through the log to the page, members by name with grade.
        var row = groups.Locator("tr", new LocatorLocatorOptions { HasText = "keep-apart" });
        await Assertions.Expect(row).ToContainTextAsync($"{first.FirstName} {first.LastName} ({first.Grade})");
        await Assertions.Expect(row).ToContainTextAsync($"{second.FirstName} {second.LastName} ({second.Grade})");

        var out1 = await kiosk.ScanAsync(KioskTestSupport.Card(first));
        Assert.Equal(Outcome.Granted, (await kiosk.ChooseAsync(out1.ScanId, "library")).Outcome);
        var tap = await kiosk.ScanAsync(KioskTestSupport.Card(second));
        var refused = await kiosk.ChooseAsync(tap.ScanId, "library");
        Assert.Equal((Outcome.Refused, ReasonCode.EncounterBlocked), (refused.Outcome, refused.Reason));

        var attempt = page.Locator("[aria-label='Blocked attempts'] tr", new PageLocatorOptions { HasText = "keep-apart" });
        await Assertions.Expect(attempt).ToContainTextAsync($"{second.FirstName} {second.LastName}");
        await Assertions.Expect(attempt).ToContainTextAsync($"{first.FirstName} {first.LastName}");
        await Assertions.Expect(attempt).ToContainTextAsync("Library");
        await BrowserSite.ScreenshotAsync(page, "admin-encounters");

        // The page showed both students (in the picker, the group and the log): each is recorded once for this view.
        var audit = site.District.Services.GetRequiredService<IDbContextFactory<AccessDb>>();
        await using var db = await audit.CreateDbContextAsync(Ct);
        var entries = await db.Audit.Include(a => a.Students).Where(a => a.UserName == "okafor").ToListAsync(Ct);
        Assert.All(entries, e => Assert.StartsWith("encounter groups", e.What, StringComparison.Ordinal));
        Assert.All(entries, e => Assert.Equal((Roles.Admin, "127.0.0.1", building.Id), (e.Role, e.Address, e.BuildingId)));
        var seen = entries.SelectMany(e => e.Students).Select(s => s.StudentId).ToList();
        Assert.Single(seen, id => id == first.Id.Value);
        Assert.Single(seen, id => id == second.Id.Value);

        // Paused from the edit form, then deleted once confirmed.
        await row.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Edit" }).ClickAsync();
        var edit = page.GetByLabel("Edit keep-apart");
        await edit.GetByText("Paused (kept, not enforced)").ClickAsync();
        await edit.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Save" }).ClickAsync();
        await Assertions.Expect(row).ToContainTextAsync("paused");
        Assert.True((await edge.Writer.ReadAsync(b => b.EncounterGroups.Single(g => g.Id.Value == "keep-apart"), Ct)).Paused);
        await row.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Delete" }).ClickAsync();
        var dialog = page.Locator(".rz-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("Delete encounter group keep-apart");
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Group keep-apart deleted.");
        await Assertions.Expect(row).ToHaveCountAsync(0);
        Assert.False(await edge.Writer.ReadAsync(b => b.EncounterGroups.Any(g => g.Id.Value == "keep-apart"), Ct));
    }

    [Fact]
    public async Task A_counselor_reads_the_groups_and_the_log_but_is_not_offered_changes_the_edge_would_refuse()
    {
        await using var linked = await BrowserSite.LinkedAsync("ruiz", Roles.Counselor);
        var (site, edge, building, page) = linked;

        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Encounter groups" }).ClickAsync();
        var groups = page.Locator("[aria-label='Encounter groups']");
        await Assertions.Expect(groups).ToContainTextAsync("group-1");
        await Assertions.Expect(page.Locator("[aria-label='Blocked attempts']")).ToContainTextAsync("No blocked attempts.");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "New group" })).ToHaveCountAsync(0);
        await Assertions.Expect(groups.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);

        var audit = site.District.Services.GetRequiredService<IDbContextFactory<AccessDb>>();
        await using var db = await audit.CreateDbContextAsync(Ct);
        var members = await edge.Writer.ReadAsync(b => b.EncounterGroups.SelectMany(g => g.Members).Select(m => m.Value).ToHashSet(), Ct);
        var seen = await db.Audit.Where(a => a.UserName == "ruiz").SelectMany(a => a.Students).Select(s => s.StudentId).ToListAsync(Ct);
        Assert.True(members.SetEquals(seen) && seen.Count == members.Count, "each member shown is recorded once");
    }
}
