using System.Buffers.Binary;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using PassTrack.Dashboard.Access;

namespace PassTrack.Dashboard.Tests.Access;

/// <summary>Sign-in against the real dashboard and its SQLite store, through its HTML forms with their antiforgery tokens.</summary>
public sealed partial class SignInTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_temporary_password_opens_only_the_page_that_replaces_it()
    {
        using var district = await new DistrictHost().StartedAsync();
        var (_, temporary) = await CreateAsync(district, "ruiz", Roles.Teacher);
        using var browser = Browser(district);

        var signedIn = await SignInAsync(browser, "ruiz", temporary);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/account/change-password", signedIn.Headers.Location?.OriginalString);
        var home = await browser.GetAsync("/", Ct);
        Assert.Equal("/account/change-password", home.Headers.Location?.OriginalString);

        var changed = await PostFormAsync(browser, "/account/change-password", "/account/change-password",
            new() { ["current"] = temporary, ["replacement"] = "a long new password 2026" });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        // Signed in for real now: home sends a teacher to the room board.
        var landing = await browser.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.Redirect, landing.StatusCode);
        Assert.Equal("/teacher", landing.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Five_failures_lock_the_account_and_the_answer_never_says_which_names_exist()
    {
        using var district = await new DistrictHost().StartedAsync();
        var (user, temporary) = await CreateAsync(district, "okafor", Roles.Admin);
        using var browser = Browser(district);

        for (var i = 0; i < AccessSetup.MaxFailedSignIns; i++)
        {
            var wrong = await SignInAsync(browser, "okafor", "not the password " + i);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        // Locked: the right password is refused now, with the same words as a name that does not exist.
        var locked = await SignInAsync(browser, "okafor", temporary);
        var unknown = await SignInAsync(browser, "nobody-here", temporary);
        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(Alert(await locked.Content.ReadAsStringAsync(Ct)), Alert(await unknown.Content.ReadAsStringAsync(Ct)));
        Assert.Equal(AccountEndpoints.Refusal, Alert(await unknown.Content.ReadAsStringAsync(Ct)));

        await using var scope = district.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<DistrictUser>>();
        Assert.True(await users.IsLockedOutAsync((await users.FindByIdAsync(user.Id))!));
    }

    [Fact]
    public async Task Passwords_are_stored_as_PBKDF2_with_at_least_210000_iterations()
    {
        using var district = await new DistrictHost().StartedAsync();
        var (user, _) = await CreateAsync(district, "nurse", Roles.Nurse);
        await using var scope = district.Services.CreateAsyncScope();
        var stored = (await scope.ServiceProvider.GetRequiredService<UserManager<DistrictUser>>().FindByIdAsync(user.Id))!.PasswordHash!;
        var bytes = Convert.FromBase64String(stored);
        // Identity's v3 format: a 0x01 marker, the PRF, then the iteration count, big-endian.
        Assert.Equal(0x01, bytes[0]);
        Assert.True(BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5, 4)) >= 210_000);
    }

    [Fact]
    public async Task An_administrators_emergency_reset_lifts_the_lockout_with_a_new_temporary_password()
    {
        using var district = await new DistrictHost().StartedAsync();
        var (admin, adminTemporary) = await CreateAsync(district, "principal", Roles.Admin);
        var (teacher, _) = await CreateAsync(district, "kim", Roles.Teacher);
        using var teacherBrowser = Browser(district);
        for (var i = 0; i < AccessSetup.MaxFailedSignIns; i++)
        {
            await SignInAsync(teacherBrowser, "kim", "wrong " + i);
        }

        using var adminBrowser = Browser(district);
        await SignInAsync(adminBrowser, "principal", adminTemporary);
        await PostFormAsync(adminBrowser, "/account/change-password", "/account/change-password", new() { ["current"] = adminTemporary, ["replacement"] = "principal's own password" });
        var reset = await PostFormAsync(adminBrowser, "/account/change-password", $"/account/users/{teacher.Id}/reset", []);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        var fresh = Regex.Match(await reset.Content.ReadAsStringAsync(Ct), "\"password\":\"([^\"]+)\"").Groups[1].Value;

        var signedIn = await SignInAsync(teacherBrowser, "kim", fresh);
        Assert.Equal("/account/change-password", signedIn.Headers.Location?.OriginalString);

        // A teacher may not reset anyone.
        var refused = await PostFormAsync(teacherBrowser, "/account/change-password", $"/account/users/{admin.Id}/reset", []);
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);

        // An Admin manages only the users below Admin in their own buildings: not a Superadmin, not another Admin,
        // not a teacher of another building, and the answer is the same as for an id that does not exist.
        var (superadmin, _) = await CreateAsync(district, "district-it", Roles.Superadmin);
        var (otherAdmin, _) = await CreateAsync(district, "vice", Roles.Admin);
        var (elsewhere, _) = await CreateAsync(district, "far", Roles.Teacher, "oak-ms");
        foreach (var target in new[] { superadmin.Id, otherAdmin.Id, elsewhere.Id, "no-such-user" })
        {
            var escalation = await PostFormAsync(adminBrowser, "/account/change-password", $"/account/users/{target}/reset", []);
            Assert.Equal(HttpStatusCode.NotFound, escalation.StatusCode);
        }
        Assert.Contains(district.Logs, l => l.Contains($"Password reset of user {superadmin.Id} refused to principal", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sign_in_is_rate_limited_with_429_and_pages_carry_the_security_headers()
    {
        using var district = await new DistrictHost(settings: new Dictionary<string, string> { ["District:SignInsPerMinute"] = "3" }).StartedAsync();
        using var browser = Browser(district);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await SignInAsync(browser, "someone", "guess " + i)).StatusCode);
        }
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);

        var page = await browser.GetAsync("/signin", Ct);
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
    }

    private static async Task<(DistrictUser User, string Temporary)> CreateAsync(DistrictHost district, string userName, string role, string building = "lincoln-hs")
    {
        await using var scope = district.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Accounts>().CreateAsync(userName, $"Ms {userName}", role, [(building, null)]);
    }

    private static HttpClient Browser(DistrictHost district) =>
        district.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = true });

    private static Task<HttpResponseMessage> SignInAsync(HttpClient browser, string userName, string password) =>
        PostFormAsync(browser, "/signin", "/account/signin", new() { ["userName"] = userName, ["password"] = password });

    /// <summary>Loads the form's page for its antiforgery token, then posts the form, as a browser does.</summary>
    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string page, string action, Dictionary<string, string> fields)
    {
        var html = await (await browser.GetAsync(page, Ct)).Content.ReadAsStringAsync(Ct);
        var token = TokenField().Match(html);
        Assert.True(token.Success, $"no antiforgery token on {page}");
        fields[token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value);
        return await browser.PostAsync(action, new FormUrlEncodedContent(fields), Ct);
    }

    private static string Alert(string html) => WebUtility.HtmlDecode(AlertText().Match(html).Groups[1].Value);

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex TokenField();

    [GeneratedRegex("<p role=\"alert\">([^<]*)</p>")]
    private static partial Regex AlertText();
}
