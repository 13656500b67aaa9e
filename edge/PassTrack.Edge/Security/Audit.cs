using PassTrack.Edge.Store;

namespace PassTrack.Edge.Security;

/// <summary>
/// FERPA: every read of student data, and every change, leaves an <see cref="AuditEntry"/> naming who (the key and the
/// person acting through it), what, which record and from where. Written before the response is sent: no entry, no data.
/// </summary>
public static class Audit
{
    private const int MaxTarget = 400;

    /// <summary>Records every call of the endpoint (or group) as <paramref name="action"/>, with its target and outcome.</summary>
    public static TBuilder Audited<TBuilder>(this TBuilder builder, string action) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var http = context.HttpContext;
            // A Results<...> union wraps the result that carries the status.
            while (result is INestedHttpResult nested)
            {
                result = nested.Result;
            }
            var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : http.Response.StatusCode;
            await WriteAsync(http, action, status);
            return result;
        });

    public static async Task WriteAsync(HttpContext http, string action, int status)
    {
        var caller = Caller.Of(http);
        var time = http.RequestServices.GetRequiredService<TimeProvider>();
        var db = http.RequestServices.GetRequiredService<EdgeDb>();
        var target = $"{http.Request.Path}{http.Request.QueryString} -> {status}";
        db.Audit.Add(new AuditEntry
        {
            AtUnixMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
            Actor = caller?.AuditName ?? "anonymous",
            Action = action,
            Target = target.Length > MaxTarget ? target[..MaxTarget] : target,
            Address = http.Connection.RemoteIpAddress?.ToString(),
        });
        // Not the request's token: a client that hangs up after being answered has still read the data.
        await db.SaveChangesAsync(CancellationToken.None);
    }
}
