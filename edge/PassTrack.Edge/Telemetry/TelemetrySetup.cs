using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using PassTrack.Edge.Passes;
using PassTrack.Edge.Store;

namespace PassTrack.Edge.Telemetry;

public static class TelemetrySetup
{
    /// <summary>Metrics (OpenTelemetry, scraped at /metrics, exported by OTLP when configured) and health checks.</summary>
    public static WebApplicationBuilder AddEdgeTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<EdgeMetrics>();
        var otel = builder.Services.AddOpenTelemetry();
        otel.WithMetrics(metrics =>
        {
            metrics.AddMeter(EdgeMetrics.MeterName).AddAspNetCoreInstrumentation().AddPrometheusExporter();
            if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            {
                metrics.AddOtlpExporter();
            }
        });
        builder.Services.AddHealthChecks()
            .AddDbContextCheck<EdgeDb>("store")
            .AddCheck<BuildingHealthCheck>("building")
            .AddCheck<Federation.DistrictHealthCheck>("district");
        return builder;
    }

    public static WebApplication MapEdgeTelemetry(this WebApplication app)
    {
        app.MapHealthChecks("/health");
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}

/// <summary>Healthy once the building is rebuilt and its writer is keeping up.</summary>
public sealed class BuildingHealthCheck(BuildingWriter writer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(!writer.Ready.IsCompletedSuccessfully
            ? HealthCheckResult.Unhealthy("The building is being rebuilt from the store.")
            : writer.Backlog > 10_000
                ? HealthCheckResult.Degraded($"{writer.Backlog} commands are waiting to be decided.")
                : HealthCheckResult.Healthy($"Sequence {writer.LastSequence}."));
}
