using System.Security.Claims;
using System.Text;
using PassTrack.Rules;

namespace PassTrack.Edge.Security;

/// <summary>
/// Who is calling: the API key (its name is the actor's id, so the engine's records name it) and, when the dashboard
/// says so, the person acting through it. Bound straight into endpoint handlers.
/// </summary>
public sealed record Caller(string KeyName, string? ActingUser, IReadOnlySet<string> Scopes)
{
    private const int MaxActingUserLength = 80;

    /// <summary>The staff actor the rules see. Its permissions follow from the key's scopes.</summary>
    public Actor Actor { get; } = Actor.Staff(KeyName, ActingUser is null ? KeyName : $"{ActingUser} (via {KeyName})", Security.Scopes.PermissionsFor(Scopes));

    /// <summary>How the audit log names the caller.</summary>
    public string AuditName => Actor.Name;

    public bool Has(string scope) => Scopes.Contains(scope);

    public static ValueTask<Caller?> BindAsync(HttpContext context) => ValueTask.FromResult(Of(context));

    public static Caller? Of(HttpContext context)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true || user.FindFirstValue(ClaimTypes.Name) is not { } name)
        {
            return null;
        }
        var scopes = user.FindAll(ApiKeyDefaults.ScopeClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return new Caller(name, Clean(context.Request.Headers[ApiKeyDefaults.ActingUserHeader].ToString()), scopes);
    }

    /// <summary>The header is free text from the dashboard: keep it printable and short for logs and the audit.</summary>
    private static string? Clean(string raw)
    {
        var text = new StringBuilder(Math.Min(raw.Length, MaxActingUserLength));
        foreach (var c in raw.Trim())
        {
            if (text.Length == MaxActingUserLength)
            {
                break;
            }
            if (!char.IsControl(c))
            {
                text.Append(c);
            }
        }
        return text.Length == 0 ? null : text.ToString();
    }
}
