using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using PassTrack.Edge.Events;
using PassTrack.Edge.Passes;

namespace PassTrack.Edge.Store;

public static class StoreSetup
{
    /// <summary>The store, the building's single writer, its clock and the live event feed.</summary>
    public static WebApplicationBuilder AddEdgeStore(this WebApplicationBuilder builder)
    {
        var path = builder.Configuration.GetSection(EdgeOptions.Section).Get<EdgeOptions>()?.DataPath ?? new EdgeOptions().DataPath;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        builder.Services.AddDbContext<EdgeDb>(o => o
            .UseSqlite(SqlitePragmas.ConnectionString(path))
            .AddInterceptors(new SqlitePragmaInterceptor()));
        builder.Services.AddSingleton<EventFeed>();
        builder.Services.AddSingleton<BuildingWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<BuildingWriter>());
        builder.Services.AddHostedService<BuildingClock>();
        builder.Services.AddHostedService<Checkpointer>();
        builder.Services.AddSingleton<Kiosks.KioskRegistry>();
        return builder;
    }
}

/// <summary>Lets `dotnet ef migrations add` build the model without starting the edge.</summary>
public sealed class DesignTimeEdgeDb : IDesignTimeDbContextFactory<EdgeDb>
{
    public EdgeDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<EdgeDb>().UseSqlite("Data Source=design-time.db").Options);
}
