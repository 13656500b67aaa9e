using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PassTrack.Dashboard.Access;
using PassTrack.Edge.Tests;

namespace PassTrack.Dashboard.Tests.Access;

/// <summary>
/// Sign-in in Debian's Chromium driven by Playwright, against the dashboard served by Kestrel on loopback. Plain HTTP
/// on loopback is the Development cookie policy; the Secure-only policy is covered by <see cref="SignInTests"/>.
/// Screenshots go to artifacts/screenshots.
/// </summary>
public sealed class BrowserSignInTests
{
    [Fact]
    public async Task A_teacher_signs_in_with_a_temporary_password_and_must_choose_her_own()
    {
        await using var site = await BrowserSite.StartAsync();
        var temporary = await site.CreateUserAsync("ruiz", Roles.Teacher);
        var page = await site.NewPageAsync();

        await page.GotoAsync(site.Url("/signin"));
        await page.FillAsync("input[name=userName]", "ruiz");
        await page.FillAsync("input[name=password]", temporary);
        await page.ClickAsync("button");
        await page.WaitForURLAsync(site.Url("/account/change-password"));
        await BrowserSite.ScreenshotAsync(page, "change-password");

        await page.FillAsync("input[name=current]", temporary);
        await page.FillAsync("input[name=replacement]", "a long new password 2026");
        await page.ClickAsync("button");
        await page.WaitForURLAsync(site.Url("/"));
        Assert.Contains("Signed in as Ms ruiz (Teacher)", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await BrowserSite.ScreenshotAsync(page, "signed-in");
    }

    [Fact]
    public async Task After_five_failures_the_right_password_gets_the_same_refusal_as_a_wrong_one()
    {
        await using var site = await BrowserSite.StartAsync();
        var temporary = await site.CreateUserAsync("okafor", Roles.Admin);
        var page = await site.NewPageAsync();

        async Task<string> TryAsync(string password)
        {
            await page.GotoAsync(site.Url("/signin"));
            await page.FillAsync("input[name=userName]", "okafor");
            await page.FillAsync("input[name=password]", password);
            await page.ClickAsync("button");
            return await page.InnerTextAsync("[role=alert]");
        }

        for (var i = 0; i < AccessSetup.MaxFailedSignIns; i++)
        {
            Assert.Equal(AccountEndpoints.Refusal, await TryAsync("wrong " + i));
        }
        Assert.Equal(AccountEndpoints.Refusal, await TryAsync(temporary));
        Assert.EndsWith("/account/signin", page.Url, StringComparison.Ordinal);
        await BrowserSite.ScreenshotAsync(page, "locked-out");
    }

    /// <summary>A dashboard on Kestrel and a headless Chromium pointed at it.</summary>
    private sealed class BrowserSite : IAsyncDisposable
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
            var district = new DistrictHost(settings: new Dictionary<string, string> { ["environment"] = "Development" });
            district.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, port));
            await district.StartedAsync();
            var site = new BrowserSite(district, port);
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

        public string Url(string path) => $"http://127.0.0.1:{_port}{path}";

        public async Task<IPage> NewPageAsync() => await (await _browser!.NewContextAsync()).NewPageAsync();

        public async Task<string> CreateUserAsync(string userName, string role)
        {
            await using var scope = _district.Services.CreateAsyncScope();
            var (_, password) = await scope.ServiceProvider.GetRequiredService<Accounts>().CreateAsync(userName, $"Ms {userName}", role, [("lincoln-hs", null)]);
            return password;
        }

        public static async Task ScreenshotAsync(IPage page, string name)
        {
            var folder = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"signin-{name}.png"), FullPage = true });
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
}
