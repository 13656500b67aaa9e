using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace PassTrack.Dashboard.Access;

/// <summary>Sign-in, sign-out, the forced password change and the emergency reset. Plain forms: they work before any script loads.</summary>
public static class AccountEndpoints
{
    /// <summary>One message for a wrong name, a wrong password and a locked account: none of them says which names exist.</summary>
    public const string Refusal = "The user name or password is wrong, or the account is locked for a while.";

    public static void MapAccountEndpoints(this WebApplication app)
    {
        app.MapGet("/signin", (HttpContext http, IAntiforgery antiforgery) => Page(http, antiforgery, "Sign in", null, SignInForm));

        app.MapPost("/account/signin", async Task<IResult> (HttpContext http, IAntiforgery antiforgery, Accounts accounts, [FromForm] string? userName, [FromForm] string? password) =>
        {
            if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password) || userName.Length > 256 || password.Length > 256)
            {
                return Page(http, antiforgery, "Sign in", Refusal, SignInForm, StatusCodes.Status400BadRequest);
            }
            return await accounts.SignInAsync(userName.Trim(), password, http.Connection.RemoteIpAddress?.ToString()) switch
            {
                SignInOutcome.SignedIn => TypedResults.LocalRedirect("/"),
                SignInOutcome.MustChangePassword => TypedResults.LocalRedirect("/account/change-password"),
                _ => Page(http, antiforgery, "Sign in", Refusal, SignInForm, StatusCodes.Status401Unauthorized),
            };
        }).RequireRateLimiting(AccessSetup.SignInPolicy);

        app.MapGet("/account/denied", (HttpContext http, IAntiforgery antiforgery) =>
            Page(http, antiforgery, "Not for your role", "Your account does not give access to that page.", _ => "<p><a href=\"/\">Home</a></p>", StatusCodes.Status403Forbidden))
            .RequireAuthorization();

        app.MapPost("/account/signout", async (SignInManager<DistrictUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/signin");
        }).RequireAuthorization();

        app.MapGet("/account/change-password", (HttpContext http, IAntiforgery antiforgery) => Page(http, antiforgery, "Choose your password", null, ChangeForm))
            .RequireAuthorization();

        app.MapPost("/account/change-password", async Task<IResult> (
            HttpContext http, IAntiforgery antiforgery, UserManager<DistrictUser> users, Accounts accounts,
            [FromForm] string? current, [FromForm] string? replacement) =>
        {
            var user = await users.GetUserAsync(http.User);
            if (user is null || string.IsNullOrEmpty(current) || string.IsNullOrEmpty(replacement) || replacement.Length > 256)
            {
                return Page(http, antiforgery, "Choose your password", "Give your current password and a new one.", ChangeForm, StatusCodes.Status400BadRequest);
            }
            var result = await accounts.ChangePasswordAsync(user, current, replacement);
            return result.Succeeded
                ? TypedResults.LocalRedirect("/")
                : Page(http, antiforgery, "Choose your password", string.Join(" ", result.Errors.Select(e => e.Description)), ChangeForm, StatusCodes.Status400BadRequest);
        }).RequireAuthorization();

        app.MapPost("/account/users/{id}/reset", async Task<Results<Ok<TemporaryPassword>, NotFound>> (string id, HttpContext http, Accounts accounts) =>
        {
            var password = Viewer.From(http.User, http.Connection.RemoteIpAddress?.ToString()) is { } by ? await accounts.ResetAsync(id, by) : null;
            return password is null ? TypedResults.NotFound() : TypedResults.Ok(new TemporaryPassword(password));
        }).RequireAuthorization(p => p.RequireRole(Roles.Superadmin, Roles.Admin));

        // Each role lands where its day starts.
        app.MapGet("/", (HttpContext http) =>
        {
            var viewer = Viewer.From(http.User, null);
            return Results.Redirect(viewer is null ? "/account/denied" : LandingFor(viewer.Role));
        }).RequireAuthorization();
    }

    /// <summary>Teachers, substitutes and staff start at a room's board; admins, counselors and nurses at the monitor.</summary>
    public static string LandingFor(string role) => role switch
    {
        Roles.Superadmin or Roles.Admin or Roles.Counselor or Roles.Nurse => "/monitor",
        _ => "/teacher",
    };

    public sealed record TemporaryPassword(string Password);

    private static string SignInForm(string token) =>
        "<form method=\"post\" action=\"/account/signin\">" + token
        + "<label>User name <input name=\"userName\" autocomplete=\"username\" required maxlength=\"256\"></label>"
        + "<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required maxlength=\"256\"></label>"
        + "<button>Sign in</button></form>";

    private static string ChangeForm(string token) =>
        "<form method=\"post\" action=\"/account/change-password\">" + token
        + "<label>Current password <input name=\"current\" type=\"password\" autocomplete=\"current-password\" required></label>"
        + "<label>New password (12 or more characters) <input name=\"replacement\" type=\"password\" autocomplete=\"new-password\" required minlength=\"12\"></label>"
        + "<button>Save</button></form>";

    private static ContentHttpResult Page(HttpContext http, IAntiforgery antiforgery, string title, string? message, Func<string, string> body, int status = StatusCodes.Status200OK)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        var token = $"<input type=\"hidden\" name=\"{Encode(tokens.FormFieldName)}\" value=\"{Encode(tokens.RequestToken ?? "")}\">";
        var alert = message is null ? "" : $"<p role=\"alert\">{Encode(message)}</p>";
        var html = $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{Encode(title)}</title></head>"
            + $"<body><main><h1>{Encode(title)}</h1>{alert}{body(token)}</main></body></html>";
        return TypedResults.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);
}
