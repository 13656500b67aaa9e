using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using PassTrack.Contracts.District;
using PassTrack.Edge.Security;

namespace PassTrack.Edge.Federation;

/// <summary>
/// Carries out a dashboard user's command through the edge's own HTTP pipeline, in process: the same endpoints,
/// validation, rules and audit as a call with an API key, with the district as the key and the user as the one acting.
/// What the user may do follows from their role here too, so a building never grants more than its own mapping says.
/// </summary>
public sealed class DistrictCommandRunner(IServiceScopeFactory scopes)
{
    /// <summary>The name the audit and the rules give the district as a caller.</summary>
    public const string DistrictKeyName = "district";

    private const int MaxPathLength = 400;

    private RequestDelegate? _pipeline;

    /// <summary>Put first in the pipeline: it keeps the rest of the pipeline, which commands then run through.</summary>
    public Func<RequestDelegate, RequestDelegate> Capture => next =>
    {
        _pipeline = next;
        return next;
    };

    /// <summary>The API scopes a dashboard role carries at this building.</summary>
    public static IReadOnlyList<string> ScopesFor(string role) => role switch
    {
        DistrictRoles.Superadmin or DistrictRoles.Admin => Scopes.All,
        DistrictRoles.Counselor => [Scopes.PassesRead, Scopes.PassesWrite, Scopes.Encounters],
        DistrictRoles.Teacher or DistrictRoles.Staff or DistrictRoles.Nurse or DistrictRoles.Substitute => [Scopes.PassesRead, Scopes.PassesWrite],
        _ => [],
    };

    public async Task<CommandResult> RunAsync(DistrictCommand command, CancellationToken cancellationToken)
    {
        if (_pipeline is not { } pipeline)
        {
            return Refused(command, StatusCodes.Status503ServiceUnavailable, "The edge is still starting.");
        }
        var (path, query) = Split(command.Path);
        if (path is null || command.Method is not ("GET" or "POST" or "PUT" or "DELETE"))
        {
            return Refused(command, StatusCodes.Status400BadRequest, "A district command is GET, POST, PUT or DELETE on a path under /api/.");
        }
        await using var scope = scopes.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        var response = new MemoryStream();
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(response));
        context.Request.Method = command.Method;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("district");
        context.Request.Path = path.Value;
        context.Request.QueryString = query;
        context.Request.Headers[ApiKeyDefaults.ActingUserHeader] = $"{command.Actor.Name} ({command.Actor.Role}, {command.Actor.UserId})";
        if (command.Body is { } body)
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = "application/json";
            // A made-up request has no transport to say it carries a body; without this, minimal APIs see none.
            context.Features.Set<IHttpRequestBodyDetectionFeature>(HasBody.Instance);
        }
        var claims = new List<Claim> { new(ClaimTypes.Name, DistrictKeyName) };
        claims.AddRange(ScopesFor(command.Actor.Role).Select(s => new Claim(ApiKeyDefaults.ScopeClaim, s)));
        context.User = new ClaimsPrincipal(new ClaimsIdentity(claims, "District"));
        context.RequestAborted = cancellationToken;
        await pipeline(context);
        await context.Response.CompleteAsync();
        JsonElement? answer = null;
        if (response.Length > 0 && context.Response.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            using var document = JsonDocument.Parse(response.ToArray());
            answer = document.RootElement.Clone();
        }
        return new CommandResult(DistrictJson.Version, command.CommandId, context.Response.StatusCode, answer);
    }

    private static (PathString? Path, QueryString Query) Split(string raw)
    {
        if (string.IsNullOrEmpty(raw) || raw.Length > MaxPathLength || !raw.StartsWith("/api/", StringComparison.Ordinal)
            || raw.Contains("..", StringComparison.Ordinal) || raw.Contains('#', StringComparison.Ordinal) || raw.Any(char.IsControl))
        {
            return (null, QueryString.Empty);
        }
        var question = raw.IndexOf('?', StringComparison.Ordinal);
        return question < 0
            ? (new PathString(raw), QueryString.Empty)
            : (new PathString(raw[..question]), new QueryString(raw[question..]));
    }

    private static CommandResult Refused(DistrictCommand command, int status, string detail) =>
        new(DistrictJson.Version, command.CommandId, status, JsonSerializer.SerializeToElement(new { title = "Refused", status, detail }));
}

/// <summary>Says a district command's request has a body, as a real connection's feature would.</summary>
file sealed class HasBody : IHttpRequestBodyDetectionFeature
{
    public static readonly HasBody Instance = new();

    public bool CanHaveBody => true;
}
