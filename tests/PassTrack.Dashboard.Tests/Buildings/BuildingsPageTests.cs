using Microsoft.Playwright;
using PassTrack.Dashboard.Access;

namespace PassTrack.Dashboard.Tests.Buildings;

/// <summary>The buildings page in Chromium: a building's edge linking to the district shows up without a reload.</summary>
public sealed class BuildingsPageTests
{
    [Fact]
    public async Task An_edge_coming_online_appears_on_the_open_page_and_teachers_may_not_see_it()
    {
        await using var site = await BrowserSite.StartAsync();
        var building = await site.District.RegisterAsync();
        var admin = await site.CreateUserAsync("okafor", Roles.Admin);
        var page = await site.NewPageAsync();
        await site.SignInAsync(page, "okafor", admin);

        await page.GotoAsync(site.Url("/buildings"));
        var row = page.Locator("tr", new PageLocatorOptions { HasText = "Lincoln High School" });
        await Assertions.Expect(row).ToContainTextAsync("offline");

        // The edge dials out; the open page turns the row online and counts the events it sent, live.
        using var edge = await DistrictHost.LinkedEdge(site.District.BrokerPort, building.Secret).StartedAsync();
        await Assertions.Expect(row).ToContainTextAsync("online", new LocatorAssertionsToContainTextOptions { Timeout = 15_000 });
        await BrowserSite.ScreenshotAsync(page, "buildings");

        var teacher = await site.CreateUserAsync("ruiz", Roles.Teacher);
        var teacherPage = await site.NewPageAsync();
        await site.SignInAsync(teacherPage, "ruiz", teacher);
        var refused = await teacherPage.GotoAsync(site.Url("/buildings"));
        Assert.Equal(403, refused!.Status);
        Assert.StartsWith(site.Url("/account/denied"), teacherPage.Url, StringComparison.Ordinal);
        Assert.DoesNotContain("Lincoln High School", await teacherPage.ContentAsync(), StringComparison.Ordinal);
    }
}
