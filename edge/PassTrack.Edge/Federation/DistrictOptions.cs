namespace PassTrack.Edge.Federation;

/// <summary>
/// The edge's link to the district (<c>Edge:District</c>): it dials out to the district broker, so a building behind
/// NAT needs no inbound port. Off until <see cref="Host"/> and <see cref="Secret"/> are set.
/// </summary>
public sealed class DistrictOptions
{
    public const string Section = "Edge:District";

    public string? Host { get; set; }

    public int Port { get; set; } = 1884;

    public bool UseTls { get; set; }

    /// <summary>The building's secret, given when the district registered it.</summary>
    public string? Secret { get; set; }

    /// <summary>Events in one batch.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>At most this many events are sent ahead of the district's acknowledgement.</summary>
    public int Window { get; set; } = 2000;

    /// <summary>The first wait before reconnecting; it doubles up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan MinReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(60);

    public bool Enabled => !string.IsNullOrWhiteSpace(Host) && !string.IsNullOrEmpty(Secret);
}
