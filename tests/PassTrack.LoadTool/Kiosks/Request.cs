using PassTrack.Contracts.Protocol;

namespace PassTrack.LoadTool.Kiosks;

/// <summary>
/// One request a simulated kiosk sends (a scan or a choice), with the moment it was due: latency is counted from
/// then, not from when the sender got round to it, so a lagging client cannot hide the edge's slowness.
/// </summary>
public sealed record Request(string ScanId, KioskTopic Topic, byte[] Payload, long DueTicks)
{
    /// <summary>The traffic model's own note: who the request is for and why.</summary>
    public object? Context { get; init; }

    /// <summary>Completed when the request is answered, times out or fails (closed-loop sending waits on it).</summary>
    public TaskCompletionSource? Done { get; init; }

    /// <summary>When it was handed to MQTT, for the timeout sweep.</summary>
    public long SentTicks { get; set; }
}

/// <summary>Where an MQTT broker listens.</summary>
public sealed record MqttEndpoint(string Host, int Port)
{
    public override string ToString() => $"{Host}:{Port}";

    public static MqttEndpoint Parse(string value)
    {
        var colon = value.LastIndexOf(':');
        return colon > 0 && int.TryParse(value[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var port)
            ? new MqttEndpoint(value[..colon], port)
            : new MqttEndpoint(value, 1883);
    }
}
