using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace PassTrack.LoadTool.Targets;

/// <summary>
/// A teacher's room board open in headless Chromium (Debian's <c>/usr/bin/chromium</c>), signed in as a new user
/// does. A MutationObserver installed before the page loads notes, for each pass card that appears in the
/// "Out now" column, the browser's wall clock (<c>Date.now()</c>) when its element entered the DOM.
/// </summary>
public sealed partial class RoomBoardBrowser : IAsyncDisposable
{
    /// <summary>
    /// Runs in the page before its own scripts. Blazor sets an element's attributes before inserting it and applies a
    /// whole render batch in one task, so when the observer's callback runs, each new card is complete and in place.
    /// </summary>
    private const string Observer = """
        (() => {
          window.__seen = {};
          const note = (element, at) => {
            const id = element.getAttribute('data-pass');
            if (id && !(id in window.__seen) && element.closest("section[aria-label='Out now']")) {
              window.__seen[id] = at;
            }
          };
          const scan = (node, at) => {
            if (node.nodeType !== Node.ELEMENT_NODE) return;
            if (node.hasAttribute('data-pass')) note(node, at);
            node.querySelectorAll('[data-pass]').forEach(e => note(e, at));
          };
          new MutationObserver(records => {
            const at = Date.now();
            for (const r of records) {
              if (r.type === 'attributes') scan(r.target, at); else r.addedNodes.forEach(n => scan(n, at));
            }
          }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-pass'] });
        })();
        """;

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly IPage _page;

    private RoomBoardBrowser(IPlaywright playwright, IBrowser browser, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        _page = page;
    }

    /// <summary>
    /// Starts Chromium, signs in with the temporary password, replaces it, and opens the board of
    /// <paramref name="roomId"/>; returns once the "Out now" column shows (the district has the building's replica).
    /// </summary>
    public static async Task<RoomBoardBrowser> OpenAsync(Uri site, string userName, string temporaryPassword, string buildingId, string roomId, TimeSpan within)
    {
        var playwright = await Playwright.CreateAsync();
        IBrowser? browser = null;
        try
        {
            browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                // This machine's network is closed: keep Chromium from calling home at start.
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
            var context = await browser.NewContextAsync();
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout((float)within.TotalMilliseconds);
            await page.AddInitScriptAsync(Observer);

            await page.GotoAsync(new Uri(site, "/signin").ToString());
            await page.FillAsync("input[name=userName]", userName);
            await page.FillAsync("input[name=password]", temporaryPassword);
            await page.ClickAsync("button");
            await page.WaitForURLAsync(ChangePassword());
            await page.FillAsync("input[name=current]", temporaryPassword);
            await page.FillAsync("input[name=replacement]", $"{userName} measures the board {Guid.NewGuid():N}");
            await page.ClickAsync("button");
            await page.WaitForURLAsync(TeacherHome());

            await page.GotoAsync(new Uri(site, $"/teacher?building={Uri.EscapeDataString(buildingId)}&room={Uri.EscapeDataString(roomId)}").ToString());
            // Not prerendered: the column exists once the circuit is up and the building's replica is loaded.
            await page.Locator("section[aria-label='Out now']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
            return new RoomBoardBrowser(playwright, browser, page);
        }
        catch
        {
            if (browser is not null)
            {
                await browser.DisposeAsync();
            }
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Waits for the card of <paramref name="passId"/> in "Out now" and returns the browser's wall-clock time (Unix
    /// milliseconds) when it entered the page; null if it did not within <paramref name="within"/>.
    /// </summary>
    public async Task<long?> SeenAsync(string passId, TimeSpan within)
    {
        try
        {
            var handle = await _page.WaitForFunctionAsync("id => window.__seen[id]", passId, new PageWaitForFunctionOptions { Timeout = (float)within.TotalMilliseconds });
            return (long)await handle.JsonValueAsync<double>();
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <summary>Waits for the card of <paramref name="passId"/> to leave the board; false if it is still there after <paramref name="within"/>.</summary>
    public async Task<bool> GoneAsync(string passId, TimeSpan within)
    {
        try
        {
            await _page.Locator($"[data-pass='{passId}']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached, Timeout = (float)within.TotalMilliseconds });
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>A screenshot of the board, for the record of a run.</summary>
    public Task ScreenshotAsync(string path) => _page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });

    [GeneratedRegex("/account/change-password")]
    private static partial Regex ChangePassword();

    [GeneratedRegex("/teacher")]
    private static partial Regex TeacherHome();

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
