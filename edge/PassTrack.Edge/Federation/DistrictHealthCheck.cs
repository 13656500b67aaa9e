using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using PassTrack.Edge.Passes;

namespace PassTrack.Edge.Federation;

/// <summary>
/// The district link on /health: degraded, not unhealthy, when the district cannot be reached, because the building
/// keeps deciding and sends the rest when the link is back.
/// </summary>
public sealed class DistrictHealthCheck(DistrictLink link, BuildingWriter writer, IOptions<DistrictOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.Value.Enabled)
        {
            return Task.FromResult(HealthCheckResult.Healthy("Not linked to a district."));
        }
        var behind = Math.Max(0, writer.LastSequence - link.Acknowledged);
        return Task.FromResult(link.Connected
            ? HealthCheckResult.Healthy($"Linked; the district holds the log through {link.Acknowledged} ({behind} to send).")
            : HealthCheckResult.Degraded($"The district at {options.Value.Host}:{options.Value.Port} is unreachable; the building keeps deciding, {behind} events wait to be sent."));
    }
}
