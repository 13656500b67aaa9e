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

    public static async Task<int> Main(string[] args)
    {
        // "register-building ID NAME" registers a building and prints its secret, instead of running the server.
        var command = args is ["register-building", _, _, ..];
        var builder = WebApplication.CreateBuilder(command ? args[3..] : args);
        if (command)
        {
            // Standard output carries the secret alone, for scripts.
            builder.Logging.ClearProviders();
        }
        builder.AddFederation();

        var app = builder.Build();
        if (command)
        {
            return await FederationSetup.RegisterBuildingAsync(app.Services, args[1], args[2]);
        }
        app.MapFederation();
        app.MapGet("/health", () => TypedResults.Ok("healthy")).AllowAnonymous();

        await app.RunAsync();
        return 0;
    }
}
