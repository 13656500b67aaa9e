using PassTrack.Dashboard.Access;
using PassTrack.Dashboard.Components;
using Radzen;
using PassTrack.Dashboard.Federation;
using PassTrack.Hosting;

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
        // "register-building ID NAME" and "add-user NAME ROLE BUILDING [ROOM] [DISPLAY]" print a secret or a temporary
        // password instead of running the server. Settings (--District:DataPath=...) may follow.
        var verb = args is [var first, ..] && first is "register-building" or "add-user" ? args[0] : null;
        var operands = verb is null ? [] : args.Skip(1).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var command = verb is not null;
        var builder = WebApplication.CreateBuilder(command ? args[(1 + operands.Length)..] : args);
        builder.Configuration.AddShippedSettings();
        if (command)
        {
            // Standard output carries the secret alone, for scripts.
            builder.Logging.ClearProviders();
        }
        builder.AddFederation();
        builder.AddAccess();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddRadzenComponents();

        var app = builder.Build();
        if (verb == "register-building")
        {
            return operands is [var id, var name, ..] ? await FederationSetup.RegisterBuildingAsync(app.Services, id, name) : 2;
        }
        if (verb == "add-user")
        {
            return await AccessSetup.AddUserAsync(app.Services, operands);
        }
        app.UseAccess();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapFederation();
        app.MapGet("/health", () => TypedResults.Ok("healthy")).AllowAnonymous();

        await app.RunAsync();
        return 0;
    }
}
