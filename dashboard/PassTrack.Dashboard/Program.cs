using PassTrack.Dashboard.Federation;

namespace PassTrack.Dashboard;

/// <summary>
/// The district dashboard's entry point. A named class rather than top-level statements: the tests host the edge
/// and the dashboard side by side, and two global <c>Program</c> classes would collide.
/// </summary>
public sealed class DashboardProgram
{
    private DashboardProgram()
    {
    }

    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddFederation();

        var app = builder.Build();
        app.MapFederation();
        app.MapGet("/health", () => TypedResults.Ok("healthy")).AllowAnonymous();

        await app.RunAsync();
    }
}
