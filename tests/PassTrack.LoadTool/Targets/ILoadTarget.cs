using PassTrack.LoadTool.Kiosks;

namespace PassTrack.LoadTool.Targets;

/// <summary>What the kiosks are pointed at: the real edge or the bare baseline broker.</summary>
public interface ILoadTarget : IAsyncDisposable
{
    /// <summary>"edge" or "baseline".</summary>
    string Name { get; }

    /// <summary>The server's process, when the tool started it (for memory and CPU).</summary>
    int? Pid { get; }

    /// <summary>Starts the server (if the tool runs it) and waits until it takes connections.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>The school the server knows (students, cards, rooms), or null to use the demo school.</summary>
    Task<Traffic.School?> SchoolAsync(CancellationToken cancellationToken);

    /// <summary>Makes the kiosks ready to send: connected, and (on the edge) enrolled, approved and bound to their rooms.</summary>
    Task PrepareAsync(IReadOnlyList<SimKiosk> kiosks, CancellationToken cancellationToken);

    /// <summary>Whatever the server can say about the run afterwards (the edge's metrics), or null.</summary>
    Task<string?> DescribeAsync(CancellationToken cancellationToken);
}
