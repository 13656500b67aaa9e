namespace PassTrack.Edge.Updates;

/// <summary>Kiosk updates at this edge (section "Edge:Updates").</summary>
public sealed class UpdateOptions
{
    public const string Section = "Edge:Updates";

    /// <summary>Where uploaded bundles are kept; by default an <c>updates</c> folder beside the store.</summary>
    public string? Folder { get; set; }

    /// <summary>
    /// The district's update public key (PEM, ECDSA P-256), the same one written to every kiosk at flash time. Without
    /// it the edge refuses uploads: it will not serve what it cannot check.
    /// </summary>
    public string? PublicKeyPath { get; set; }

    /// <summary>The largest bundle accepted (a self-contained linux-arm64 kiosk is about 40 MB).</summary>
    public long MaxBundleBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>How long a kiosk's download token is good for, from the moment its offer is sent.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);
}
