using PassTrack.Hosting;
using Serilog;
using Serilog.Formatting.Compact;

namespace PassTrack.Edge;

public static class EdgeSetup
{
    /// <summary>Binds <see cref="EdgeOptions"/>; <c>--demo</c> on the command line seeds the demo school.</summary>
    public static WebApplicationBuilder AddEdgeOptions(this WebApplicationBuilder builder, bool demo)
    {
        builder.Configuration.AddShippedSettings();
        if (demo)
        {
            builder.Configuration.AddInMemoryCollection([new KeyValuePair<string, string?>($"{EdgeOptions.Section}:{nameof(EdgeOptions.Demo)}", "true")]);
        }
        builder.Services.AddOptions<EdgeOptions>().Bind(builder.Configuration.GetSection(EdgeOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        // Under systemd (Type=notify) the service is "started" once the building is rebuilt and listening.
        builder.Host.UseSystemd();
        return builder;
    }

    /// <summary>Structured logs: compact JSON on stdout for journald, readable text in Development.</summary>
    public static WebApplicationBuilder AddEdgeLogging(this WebApplicationBuilder builder)
    {
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.ReadFrom.Configuration(builder.Configuration).Enrich.FromLogContext();
            if (builder.Environment.IsDevelopment())
            {
                logger.WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                logger.WriteTo.Console(new CompactJsonFormatter());
            }
        });
        return builder;
    }
}
