using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace PassTrack.Edge.Security;

public static class ApiKeyDefaults
{
    public const string Scheme = "ApiKey";
    public const string Header = "X-Api-Key";

    /// <summary>The person acting through a shared key (the dashboard's signed-in user), recorded with what they do.</summary>
    public const string ActingUserHeader = "X-PassTrack-Acting-User";

    public const string ScopeClaim = "scope";
    public const string KeyIdClaim = "api_key_id";
}

/// <summary>
/// Authenticates <c>Authorization: ApiKey &lt;key&gt;</c> or <c>X-Api-Key: &lt;key&gt;</c>. Unknown, malformed and revoked keys
/// fail alike (401) so a caller learns nothing about which keys exist. Challenges and refusals answer with problem details.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyStore keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Presented(Request);
        if (presented is null)
        {
            return AuthenticateResult.NoResult();
        }
        var key = await keys.VerifyAsync(presented, Context.RequestAborted);
        if (key is null)
        {
            SecurityLog.KeyRefused(Logger, ApiKeyStore.PrefixOf(presented) ?? "(malformed)", Context.Connection.RemoteIpAddress?.ToString());
            return AuthenticateResult.Fail("The API key is unknown, malformed or revoked.");
        }
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, key.Name),
            new(ApiKeyDefaults.KeyIdClaim, key.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        claims.AddRange(key.Scopes.Select(s => new Claim(ApiKeyDefaults.ScopeClaim, s)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = $"{ApiKeyDefaults.Scheme} realm=\"PassTrack\"";
        return WriteProblemAsync(StatusCodes.Status401Unauthorized, "API key required",
            $"Send a valid, unrevoked key as 'Authorization: {ApiKeyDefaults.Scheme} <key>' or '{ApiKeyDefaults.Header}: <key>'.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "Scope missing", "This API key does not carry the scope this endpoint needs.");

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        var problems = Context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    private static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith(ApiKeyDefaults.Scheme + " ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization[(ApiKeyDefaults.Scheme.Length + 1)..].Trim();
        }
        var header = request.Headers[ApiKeyDefaults.Header].ToString().Trim();
        return header.Length > 0 ? header : null;
    }
}

internal static partial class SecurityLog
{
    [LoggerMessage(300, LogLevel.Warning, "API key refused (prefix {Prefix}) from {Address}")]
    public static partial void KeyRefused(ILogger logger, string prefix, string? address);

    [LoggerMessage(301, LogLevel.Information, "Bootstrap API key installed")]
    public static partial void BootstrapInstalled(ILogger logger);
}
