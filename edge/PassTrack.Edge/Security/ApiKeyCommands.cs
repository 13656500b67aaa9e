using Microsoft.EntityFrameworkCore;
using PassTrack.Edge.Store;

namespace PassTrack.Edge.Security;

/// <summary>
/// Key management from the edge's own command line, run instead of the server:
/// <c>create-api-key --name N --scopes a,b</c> stores a key and prints it once;
/// <c>create-api-key --bootstrap</c> prints a key and the Edge:BootstrapApiKeyHash value that installs it, storing nothing;
/// <c>revoke-api-key --name N</c> revokes the keys of that name.
/// </summary>
public static class ApiKeyCommands
{
    private const string Create = "create-api-key";
    private const string Revoke = "revoke-api-key";

    /// <summary>Runs a key command if the command line names one; returns whether it did (the server should not start).</summary>
    public static async Task<bool> RunApiKeyCommandAsync(this WebApplication app, string[] args)
    {
        if (args.Length == 0 || args[0] is not (Create or Revoke))
        {
            return false;
        }
        var options = Options(args.AsSpan(1));
        Environment.ExitCode = args[0] == Create ? await CreateAsync(app, options) : await RevokeAsync(app, options);
        return true;
    }

    private static async Task<int> CreateAsync(WebApplication app, Dictionary<string, string> options)
    {
        if (options.ContainsKey("bootstrap"))
        {
            var (key, setting) = ApiKeyStore.NewBootstrap();
            await Console.Out.WriteLineAsync(key);
            await Console.Error.WriteLineAsync($"Set Edge:{SecuritySetup.BootstrapSetting} (environment EDGE__{SecuritySetup.BootstrapSetting.ToUpperInvariant()}) to:");
            await Console.Error.WriteLineAsync(setting);
            await Console.Error.WriteLineAsync("The key above is shown only this once; it becomes an all-scopes key named 'bootstrap' on a store without keys.");
            return 0;
        }
        if (!options.TryGetValue("name", out var name) || string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            return await UsageAsync("--name is required (at most 100 characters).");
        }
        if (!options.TryGetValue("scopes", out var list) || Scopes.FromList(list) is not { } scopes)
        {
            return await UsageAsync($"--scopes is required: a comma-separated list of {string.Join(", ", Scopes.All)}, or 'all'.");
        }
        await MigrateAsync(app);
        var created = await app.Services.GetRequiredService<ApiKeyStore>().CreateAsync(name.Trim(), scopes);
        await Console.Error.WriteLineAsync($"API key '{created.Row.Name}' created with scopes: {created.Row.Scopes}. It is shown only this once:");
        await Console.Out.WriteLineAsync(created.Key);
        return 0;
    }

    private static async Task<int> RevokeAsync(WebApplication app, Dictionary<string, string> options)
    {
        if (!options.TryGetValue("name", out var name) || string.IsNullOrWhiteSpace(name))
        {
            return await UsageAsync("--name is required.");
        }
        await MigrateAsync(app);
        var revoked = await app.Services.GetRequiredService<ApiKeyStore>().RevokeAsync(name.Trim());
        await Console.Error.WriteLineAsync($"{revoked} key(s) named '{name.Trim()}' revoked.");
        return revoked > 0 ? 0 : 1;
    }

    private static async Task MigrateAsync(WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<EdgeDb>().Database.MigrateAsync();
    }

    private static async Task<int> UsageAsync(string problem)
    {
        await Console.Error.WriteLineAsync(problem);
        await Console.Error.WriteLineAsync($"Usage: {Create} --name <name> --scopes <a,b|all> | {Create} --bootstrap | {Revoke} --name <name>");
        return 2;
    }

    /// <summary>"--name x --scopes a,b --bootstrap": a switch without a value maps to "".</summary>
    private static Dictionary<string, string> Options(ReadOnlySpan<string> args)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                continue;
            }
            var hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            options[args[i][2..]] = hasValue ? args[++i] : "";
        }
        return options;
    }
}
