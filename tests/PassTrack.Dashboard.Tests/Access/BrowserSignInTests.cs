using Microsoft.Playwright;
using PassTrack.Dashboard.Access;

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
        await Assertions.Expect(page).ToHaveURLAsync(site.Url("/account/change-password"));
        await BrowserSite.ScreenshotAsync(page, "signin-change-password");

        await page.FillAsync("input[name=current]", temporary);
        await page.FillAsync("input[name=replacement]", "a long new password 2026");
        await page.ClickAsync("button");
        // A teacher lands on the room board, signed in under their own name.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/teacher"));
        await Assertions.Expect(page.Locator(".pt-user")).ToContainTextAsync("Ms ruiz");
        await BrowserSite.ScreenshotAsync(page, "signin-signed-in");
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
        await BrowserSite.ScreenshotAsync(page, "signin-locked-out");
    }
}
