using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PassTrack.Contracts.Passes;
using PassTrack.Dashboard.Access;
using PassTrack.Dashboard.Federation;
using PassTrack.Dashboard.Tests.Federation;
using PassTrack.Edge.Tests.Kiosks;
using PassTrack.Kiosk.Appliance;
using PassTrack.Kiosk.Tests.Link;

namespace PassTrack.Dashboard.Tests.Emergencies;

/// <summary>
/// A lockdown from the dashboard, end to end: an admin in Chromium confirms it, the command goes over the district
/// broker to the edge, the edge locks the building down, and the real kiosk firmware (its own process, simulated
/// hardware) shows it on its LCD; the page lists the students who were out. Clearing it brings the kiosk back.
/// </summary>
public sealed class EmergencyPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_lockdown_confirmed_on_the_dashboard_reaches_the_kiosks_screen_and_lists_who_was_out()
    {
        await using var linked = await BrowserSite.LinkedAsync("okafor", Roles.Admin);
        var (site, edge, building, page) = linked;

        // The real firmware in A101, and a student out of A102 through a protocol kiosk there.
        var folder = Directory.CreateTempSubdirectory("passtrack-kiosk-").FullName;
        var credentials = Path.Combine(folder, "credentials.json");
        KioskCredentials.Save(credentials, new KioskCredentials("kiosk-a101", await KioskTestSupport.ProvisionAsync(edge, "kiosk-a101", "A101"), null));
        await using var firmware = await KioskProcess.StartAsync(credentials, Path.Combine(folder, "outbox.db"), edge.MqttPort);
        await firmware.ScreenShowsAsync("Tap your card", Ct);
        await using var kiosk = await KioskTestSupport.KioskInAsync(edge, "A102");
        var student = KioskTestSupport.PlainStudents(edge).First(s => s.Homeroom?.Value == "A102");
        var tap = await kiosk.ScanAsync(KioskTestSupport.Card(student));
        Assert.Equal(Outcome.Granted, (await kiosk.ChooseAsync(tap.ScanId, "library")).Outcome);
        await ReplicaTests.WaitForReplicaAsync(site.District.Services.GetRequiredService<BuildingReplicas>(), building.Id, edge.Writer.LastSequence);

        await page.GotoAsync(site.Url("/emergency"));
        var card = page.Locator("[data-building='lincoln-hs']");
        await Assertions.Expect(card.Locator(".pt-state")).ToHaveTextAsync("normal", new LocatorAssertionsToHaveTextOptions { IgnoreCase = true });

        await card.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Lockdown", Exact = true }).ClickAsync();
        // Nothing happens before the confirmation.
        var dialog = page.Locator(".rz-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("Lock down Lincoln High School?");
        Assert.Null(await edge.Writer.ReadAsync(b => b.Emergency, Ct));
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Yes, do it" }).ClickAsync();

        await firmware.ScreenShowsAsync("*** LOCKDOWN ***", Ct);
        await Assertions.Expect(card.Locator(".pt-state")).ToContainTextAsync("LOCKDOWN");
        var outList = page.GetByRole(AriaRole.Grid, new PageGetByRoleOptions { Name = "Students out in Lincoln High School" });
        await Assertions.Expect(outList).ToContainTextAsync($"{student.LastName}, {student.FirstName}");
        await Assertions.Expect(outList).ToContainTextAsync("not seen");
        await BrowserSite.ScreenshotAsync(page, "emergency-lockdown");
        var locked = await edge.Writer.ReadAsync(b => b.Emergency, Ct);
        Assert.Equal(Rules.Emergencies.EmergencyKind.Lockdown, locked?.Kind);
        Assert.Contains("Ms okafor", locked!.StartedBy.Name, StringComparison.Ordinal);

        await card.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Clear", Exact = true }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Yes, do it" }).ClickAsync();
        await firmware.ScreenShowsAsync("Tap your card", Ct);
        await Assertions.Expect(card.Locator(".pt-state")).ToHaveTextAsync("normal", new LocatorAssertionsToHaveTextOptions { IgnoreCase = true });
        Assert.Null(await edge.Writer.ReadAsync(b => b.Emergency, Ct));
    }
}
