using Microsoft.EntityFrameworkCore;

namespace PassTrack.Dashboard.Federation;

public static class FederationSetup
{
    /// <summary>The district store, the district broker (embedded unless configured otherwise), the ingest and edge commands.</summary>
    public static WebApplicationBuilder AddFederation(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<DistrictOptions>(builder.Configuration.GetSection(DistrictOptions.Section));
        var dataPath = builder.Configuration[$"{DistrictOptions.Section}:DataPath"] ?? new DistrictOptions().DataPath;
        var directory = Path.GetDirectoryName(Path.GetFullPath(dataPath));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        // The factory for pages (a circuit outlives a request); the context itself stays scoped for everything else.
        builder.Services.AddDbContextFactory<FederationDb>(o => o.UseSqlite(
            $"Data Source={dataPath};Pooling=true;Default Timeout=30",
            sqlite => sqlite.MigrationsHistoryTable(FederationDb.MigrationsTable)));
        builder.Services.AddSingleton(TimeProvider.System);
        // First of the hosted services: the schema is current before the broker admits anyone.
        builder.Services.AddHostedService<FederationStore>();
        builder.Services.AddSingleton<BuildingRegistry>();
        builder.Services.AddSingleton<DistrictBroker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DistrictBroker>());
        builder.Services.AddSingleton<EdgeCommands>();
        builder.Services.AddSingleton<DistrictIngest>();
        // Before the ingest starts: the replicas are listening when its first events are committed.
        builder.Services.AddSingleton<BuildingReplicas>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<BuildingReplicas>());
        builder.Services.AddHostedService(sp =>
        {
            var ingest = sp.GetRequiredService<DistrictIngest>();
            sp.GetRequiredService<EdgeCommands>().Client = () => ingest.Client;
            return ingest;
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapFederation(this IEndpointRouteBuilder routes) => routes;

    /// <summary>
    /// Registers a building (or gives it a new secret) and prints the secret on standard output, once: its edge is
    /// configured with it (<c>Edge:District:Secret</c>), and the district keeps only its hash.
    /// </summary>
    public static async Task<int> RegisterBuildingAsync(IServiceProvider services, string id, string name)
    {
        await new FederationStore(services.GetRequiredService<IServiceScopeFactory>()).StartAsync(CancellationToken.None);
        try
        {
            var registered = await services.GetRequiredService<BuildingRegistry>().RegisterAsync(id, name);
            await Console.Out.WriteLineAsync(registered.Secret);
            await Console.Error.WriteLineAsync($"Registered building '{registered.Id}' ({registered.Name}). Its secret is above; it is not shown again.");
            return 0;
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"register-building: {e.Message}");
            return 2;
        }
    }
}

/// <summary>Brings the district store's schema up to date on start: WAL with full sync, then the migrations.</summary>
internal sealed class FederationStore(IServiceScopeFactory scopes) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FederationDb>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
