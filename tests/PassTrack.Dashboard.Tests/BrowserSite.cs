using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PassTrack.Dashboard.Access;
using PassTrack.Edge.Tests;

namespace PassTrack.Dashboard.Tests;

/// <summary>A dashboard on Kestrel and a headless Chromium pointed at it.</summary>
internal sealed class BrowserSite : IAsyncDisposable
{
    private readonly DistrictHost _district;
    private readonly int _port;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    private BrowserSite(DistrictHost district, int port)
    {
        _district = district;
        _port = port;
    }

    public static async Task<BrowserSite> StartAsync()
    {
        var port = EdgeHost.FreePort();
        var district = new DistrictHost(settings: new Dictionary<string, string> { ["environment"] = "Development" }, clock: new SchoolTimeClock());
        district.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, port));
        await district.StartedAsync();
        var site = new BrowserSite(district, port);
        // Expectations retry until this long: the test run shares two cores with every other test project.
        Assertions.SetDefaultExpectTimeout(20_000);
        site._playwright = await Playwright.CreateAsync();
        site._browser = await site._playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            // This machine's network is closed: keep Chromium from calling home at start.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return site;
    }

    public DistrictHost District => _district;

    /// <summary>
    /// The whole system for a page test: a dashboard with a registered building whose real edge (the demo school) is
    /// linked and replicated, and a browser page signed in as a new user with <paramref name="role"/>.
    /// </summary>
    public static async Task<LinkedSite> LinkedAsync(string userName, string role, string? room = null, Action<Dictionary<string, string?>>? edgeSettings = null)
    {
        var site = await StartAsync();
        var building = await site.District.RegisterAsync();
        var edge = await DistrictHost.LinkedEdge(site.District.BrokerPort, building.Secret, more: edgeSettings).StartedAsync();
        await Federation.ReplicaTests.WaitForReplicaAsync(site.District.Services.GetRequiredService<Dashboard.Federation.BuildingReplicas>(), building.Id, edge.Writer.LastSequence);
        var password = await site.CreateUserAsync(userName, role, room);
        var page = await site.NewPageAsync();
        await site.SignInAsync(page, userName, password);
        return new LinkedSite(site, edge, building, page);
    }

    /// <summary>Signs in with a temporary password and replaces it, as a new user does; the page ends at home.</summary>
    public async Task SignInAsync(IPage page, string userName, string temporary)
    {
        await page.GotoAsync(Url("/signin"));
        await page.FillAsync("input[name=userName]", userName);
        await page.FillAsync("input[name=password]", temporary);
        await page.ClickAsync("button");
        await Assertions.Expect(page).ToHaveURLAsync(Url("/account/change-password"));
        await page.FillAsync("input[name=current]", temporary);
        await page.FillAsync("input[name=replacement]", $"{userName}'s own long password");
        await page.ClickAsync("button");
        // Home sends each role to its own landing page (Blazor), which names the user in its header.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/(teacher|buildings|monitor)"));
        await Assertions.Expect(page.Locator(".pt-user")).ToContainTextAsync($"Ms {userName}");
    }

    public string Url(string path) => $"http://127.0.0.1:{_port}{path}";

    public async Task<IPage> NewPageAsync() => await (await _browser!.NewContextAsync()).NewPageAsync();

    public async Task<string> CreateUserAsync(string userName, string role, string? room = null)
    {
        await using var scope = _district.Services.CreateAsyncScope();
        var (_, password) = await scope.ServiceProvider.GetRequiredService<Accounts>().CreateAsync(userName, $"Ms {userName}", role, [("lincoln-hs", room)]);
        return password;
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PassTrack.sln")))
            {
                return dir.FullName;
            }
        }
        return AppContext.BaseDirectory;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        await _district.DisposeAsync();
    }
}

/// <summary>A dashboard, its linked edge and a signed-in page; disposing stops the edge, then the site.</summary>
internal sealed record LinkedSite(BrowserSite Site, EdgeHost Edge, Dashboard.Federation.RegisteredBuilding Building, IPage Page) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        Edge.Dispose();
        await Site.DisposeAsync();
    }
}
