using PassTrack.LoadTool.Kiosks;

namespace PassTrack.LoadTool.Targets;

/// <summary>The baseline broker (<see cref="Baseline.BaselineServer"/>) in a child process of its own, like the edge.</summary>
public sealed class BaselineTarget(string folder, string delivery) : ILoadTarget
{
    private ChildProcess? _process;

    public string Name => "baseline";

    public int? Pid => _process?.Pid;

    public MqttEndpoint Broker { get; private set; } = new("127.0.0.1", 0);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var port = ChildProcess.FreePort();
        Broker = new MqttEndpoint("127.0.0.1", port);
        var self = typeof(BaselineTarget).Assembly.Location;
        _process = ChildProcess.Start(
            self,
            ["baseline-server", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", Path.Combine(folder, "baseline.db"), "--delivery", delivery],
            new Dictionary<string, string> { ["DOTNET_gcServer"] = "0" },
            Path.Combine(folder, "baseline.log"),
            Modes.BaselineServerMode.ReadyMarker);
        await _process.ReadyLine.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        Console.WriteLine($"Baseline broker (pid {_process.Pid}) on {Broker}, replies {(delivery == "inject" ? "through InjectApplicationMessage" : "straight into each kiosk's session")}");
    }

    public Task<Traffic.School?> SchoolAsync(CancellationToken cancellationToken) => Task.FromResult<Traffic.School?>(null);

    public Task PrepareAsync(IReadOnlyList<SimKiosk> kiosks, CancellationToken cancellationToken) =>
        Fleet.ConnectAsync(kiosks, Broker, enrollmentToken: null, parallel: 64, cancellationToken);

    public Task<string?> DescribeAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
