namespace PassTrack.Dashboard.Federation;

/// <summary>The district's side of federation: where its store lives and the broker the edges dial out to.</summary>
public sealed class DistrictOptions
{
    public const string Section = "District";

    /// <summary>The district store's SQLite file.</summary>
    public string DataPath { get; set; } = "district.db";

    public DistrictBrokerOptions Broker { get; set; } = new();

    /// <summary>How long a dashboard user waits for an edge to answer a command before being told it did not.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

public sealed class DistrictBrokerOptions
{
    /// <summary>Run the district broker in this process (the default); false to use an external broker (<see cref="Host"/>).</summary>
    public bool Embedded { get; set; } = true;

    public int Port { get; set; } = 1884;

    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>A message larger than this is refused and logged: an event batch is far smaller.</summary>
    public int MaxMessageBytes { get; set; } = 1024 * 1024;

    /// <summary>The external broker's host, when not embedded.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The ingest's own credentials on an external broker (its ACL lets it read every building's branch).</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }
}
