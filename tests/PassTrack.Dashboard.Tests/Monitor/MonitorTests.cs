using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PassTrack.Contracts.Passes;
using PassTrack.Dashboard.Access;
using PassTrack.Dashboard.Federation;
using PassTrack.Dashboard.Monitor;
using PassTrack.Dashboard.Tests.Federation;
using PassTrack.Edge.Tests.Kiosks;
using PassTrack.Rules;
using PassTrack.Rules.Configuration;
using PassTrack.Rules.Demo;
using PassTrack.Rules.Passes;

namespace PassTrack.Dashboard.Tests.Monitor;

/// <summary>The monitor: its figures from a rules building, and the page in Chromium against a real edge and kiosk.</summary>
public sealed class MonitorTests
{
    private static readonly DateTimeOffset InClass = new(2026, 12, 1, 15, 5, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Counts_the_day_names_the_overdue_and_the_destinations()
    {
        var building = new Building(DemoSchool.Create(DemoSchoolSize.Typical));
        var office = Actor.Staff("office", "Office", StaffPermissions.CreatePasses | StaffPermissions.EndPasses | StaffPermissions.ApproveAnyPass);
        var students = building.Students.Where(s => s.Homeroom is not null && s.Profile.RestrictedDestinations.Count == 0 && s.Profile.DailyLimit is null)
            .GroupBy(s => s.Homeroom).Select(g => g.First()).Take(3).ToList();
        var passes = students.Select(s => building.Handle(new RequestPass(s.Id, s.Homeroom!.Value, new DestinationId("library"), PassSource.StaffDashboard, InClass, office))).ToList();
        Assert.All(passes, p => Assert.Equal(Outcome.Granted, p.Outcome));
        // The first comes back and taps in at their room's kiosk; the second's pass is ended by the office.
        var kiosk = new KioskId("kiosk-back");
        var configure = Actor.Staff("it", "District IT", StaffPermissions.Configure);
        building.Handle(new SaveKiosk(new Rules.Configuration.Kiosk(kiosk, students[0].Homeroom, KioskStatus.Approved), InClass, configure));
        Assert.Equal(Outcome.Returned, building.Handle(new Tap(kiosk, students[0].Credentials[0], InClass.AddMinutes(4), Actor.OfKiosk(kiosk))).Outcome);
        building.Handle(new EndPass(passes[1].Pass!.Value, InClass.AddMinutes(5), office));

        var snapshot = MonitorSnapshot.Read(building, "Lincoln", InClass.AddHours(1));

        Assert.Equal(3, snapshot.PassesToday);
        Assert.Equal(1, snapshot.OutNow);
        Assert.Equal(2, snapshot.EndedToday);
        Assert.Equal(1, snapshot.ReturnedToday);
        Assert.Equal(50, snapshot.CompletionRate);
        var late = Assert.Single(snapshot.Overdue);
        Assert.Equal($"{students[2].LastName}, {students[2].FirstName}", late.Student);
        Assert.Equal(students[2].Grade, late.Grade);
        Assert.Equal([new DestinationUse("Library", 3)], snapshot.Destinations);
        Assert.Empty(MonitorSnapshot.Read(building, "Lincoln", InClass.AddMinutes(6)).Overdue);
    }

    [Fact]
    public async Task The_page_shows_the_days_passes_and_the_kiosks_live_and_the_trend_counts_today()
    {
        await using var linked = await BrowserSite.LinkedAsync("okafor", Roles.Admin);
        var (site, edge, building, page) = linked;
        var replicas = site.District.Services.GetRequiredService<BuildingReplicas>();
        await using var kiosk = await KioskTestSupport.KioskInAsync(edge, "A101");
        await page.ReloadAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/monitor"));
        await Assertions.Expect(page.Locator(".pt-out")).ToHaveTextAsync("0");
        var kioskRow = page.GetByRole(AriaRole.Grid, new PageGetByRoleOptions { Name = "Kiosks" }).Locator("tr", new LocatorLocatorOptions { HasText = "kiosk-a101" });
        await Assertions.Expect(kioskRow).ToContainTextAsync("online");

        var student = KioskTestSupport.PlainStudents(edge).First(s => s.Homeroom?.Value == "A101");
        var tap = await kiosk.ScanAsync(KioskTestSupport.Card(student));
        Assert.Equal(Outcome.Granted, (await kiosk.ChooseAsync(tap.ScanId, "library")).Outcome);

        await Assertions.Expect(page.Locator(".pt-out")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator(".pt-today")).ToHaveTextAsync("1");
        await BrowserSite.ScreenshotAsync(page, "monitor");

        await ReplicaTests.WaitForReplicaAsync(replicas, building.Id, edge.Writer.LastSequence);
        await using var db = await site.District.Services.GetRequiredService<IDbContextFactory<FederationDb>>().CreateDbContextAsync(Ct);
        var zone = replicas.Find(building.Id)!.Read(b => b.TimeZone);
        var trend = await MonitorSnapshot.TrendAsync(db, [building.Id], zone, edge.Services.GetRequiredService<TimeProvider>().GetUtcNow(), 7, Ct);
        Assert.Equal(7, trend.Count);
        Assert.Equal(1, trend[^1].Passes);
        Assert.All(trend.Take(6), d => Assert.Equal(0, d.Passes));
    }
}
