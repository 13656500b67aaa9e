using System.Diagnostics.Metrics;
using PassTrack.Edge.Passes;
using PassTrack.Edge.Telemetry;

namespace PassTrack.Edge.Kiosks;

/// <summary>
/// Feeds the <c>passtrack.queue.depth</c> gauge: every few seconds one read of the building copies the length of each
/// destination's line, and the gauge reports the copy (metrics are collected on another thread, and the building may
/// only be read on its writer's loop).
/// </summary>
public sealed class QueueDepthGauge(BuildingWriter writer, EdgeMetrics metrics, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(10);

    private volatile Measurement<int>[] _depths = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await writer.Ready.WaitAsync(stoppingToken);
        metrics.ObserveQueueDepths(() => _depths);
        using var timer = new PeriodicTimer(Every, time);
        do
        {
            _depths = await writer.ReadAsync(
                b => b.Destinations.Select(d => new Measurement<int>(b.QueueOf(d.Id).Count, new KeyValuePair<string, object?>("destination", d.Id.Value))).ToArray(),
                stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
