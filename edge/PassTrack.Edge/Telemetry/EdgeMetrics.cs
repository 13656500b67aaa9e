using System.Diagnostics.Metrics;

namespace PassTrack.Edge.Telemetry;

/// <summary>The edge's OpenTelemetry metrics (meter "PassTrack.Edge").</summary>
public sealed class EdgeMetrics : IDisposable
{
    public const string MeterName = "PassTrack.Edge";

    private readonly Meter _meter;
    private readonly Counter<long> _decisions;
    private readonly Histogram<double> _commitMs;
    private readonly Histogram<double> _scanMs;
    private readonly Counter<long> _refused;
    private int _connectedKiosks;
    private Func<IEnumerable<Measurement<int>>> _queueDepths = () => [];

    public EdgeMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _decisions = _meter.CreateCounter<long>("passtrack.decisions", "{decision}", "Decisions made and committed");
        _commitMs = _meter.CreateHistogram<double>("passtrack.commit.duration", "ms", "Time to decide and durably commit one batch");
        _scanMs = _meter.CreateHistogram<double>("passtrack.scan.duration", "ms", "From a kiosk message's arrival to its committed reply being published");
        _refused = _meter.CreateCounter<long>("passtrack.mqtt.refused", "{message}", "Kiosk messages refused (malformed, oversized, unauthorised, flooding)");
        _meter.CreateObservableGauge("passtrack.kiosks.connected", () => Volatile.Read(ref _connectedKiosks), "{kiosk}", "Kiosks connected now");
        _meter.CreateObservableGauge("passtrack.queue.depth", () => _queueDepths(), "{student}", "Students waiting in each destination's line");
    }

    public void BatchCommitted(int commands, int decisions, TimeSpan elapsed)
    {
        _decisions.Add(decisions);
        _commitMs.Record(elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("commands", commands > 64 ? "64+" : commands > 8 ? "9-64" : "1-8"));
    }

    public void ScanAnswered(TimeSpan elapsed) => _scanMs.Record(elapsed.TotalMilliseconds);

    public void MessageRefused(string reason) => _refused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void KioskConnected() => Interlocked.Increment(ref _connectedKiosks);

    public void KioskDisconnected() => Interlocked.Decrement(ref _connectedKiosks);

    /// <summary>Where the queue depth gauge reads from (a snapshot kept by the kiosk layer).</summary>
    public void ObserveQueueDepths(Func<IEnumerable<Measurement<int>>> source) => _queueDepths = source;

    public void Dispose() => _meter.Dispose();
}
