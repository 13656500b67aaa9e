using System.Globalization;
using PassTrack.Edge.Security;
using PassTrack.LoadTool.Cli;
using PassTrack.LoadTool.Kiosks;
using PassTrack.LoadTool.Modes;
using PassTrack.LoadTool.Stats;

namespace PassTrack.LoadTool.Targets;

/// <summary>
/// The real edge as a child process: <c>dotnet PassTrack.Edge.dll --demo</c> with a fresh store, free loopback ports,
/// an enrolment token and a bootstrap API key made for this run (the edge gets only their hashes). Kiosks enrol over
/// MQTT with the token and are approved and bound to their rooms over the HTTP API.
/// </summary>
public sealed class EdgeTarget(EdgeTarget.Options options) : ILoadTarget
{
    private readonly string _enrollmentToken = SecretHasher.NewSecret();
    private readonly (string Key, string Setting) _apiKey = NewBootstrapKey();
    private ChildProcess? _process;
    private EdgeApi? _api;

    public sealed record Options(string EdgeDll, string Folder, string DemoSize, int KioskRateLimit, bool AnyTime, IReadOnlyDictionary<string, string> ExtraEnvironment)
    {
        public static Options From(Args args, string folder, RunSettings settings)
        {
            var dll = args.Text("edge-dll") ?? DefaultEdgeDll();
            if (!File.Exists(dll))
            {
                throw new UsageException($"The edge is not built at {dll}: run 'dotnet build edge/PassTrack.Edge -c Release' or pass --edge-dll.");
            }
            var extra = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in args.All("edge-env"))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw new UsageException($"--edge-env: '{pair}' is not KEY=VALUE.");
                }
                extra[pair[..eq]] = pair[(eq + 1)..];
            }
            // A kiosk may publish 20 messages a second by default: enough for open-loop runs, not for closed-loop ones.
            var perKiosk = settings.Rate is { } rate ? Math.Max(20, (int)Math.Ceiling(50 * rate / settings.Kiosks)) : 100_000;
            return new Options(Path.GetFullPath(dll), folder, settings.DemoSize, args.Whole("kiosk-rate-limit", perKiosk), !args.Flag("school-hours"), extra);
        }

        private static string DefaultEdgeDll()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "PassTrack.sln")))
                {
                    return Path.Combine(dir.FullName, "edge", "PassTrack.Edge", "bin", "Release", "net10.0", "PassTrack.Edge.dll");
                }
            }
            return "PassTrack.Edge.dll";
        }
    }

    /// <summary>
    /// An API key and the Edge:BootstrapApiKeyHash setting that installs it, in the edge's format
    /// (<c>pt_PREFIX_SECRET</c>; the setting is <c>PREFIX:hash</c>), as its <c>create-api-key --bootstrap</c> prints them.
    /// </summary>
    public static (string Key, string Setting) NewBootstrapKey()
    {
        var prefix = System.Security.Cryptography.RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 8);
        var key = $"pt_{prefix}_{SecretHasher.NewSecret()}";
        return (key, $"{prefix}:{SecretHasher.Hash(key)}");
    }

    public string Name => "edge";

    public int? Pid => _process?.Pid;

    public MqttEndpoint Broker { get; private set; } = new("127.0.0.1", 0);

    /// <summary>The edge's HTTP API with the run's bootstrap key (once started).</summary>
    public EdgeApi Api => _api ?? throw new InvalidOperationException("The edge is not started.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var mqttPort = ChildProcess.FreePort();
        var httpPort = ChildProcess.FreePort();
        Broker = new MqttEndpoint("127.0.0.1", mqttPort);
        string Text(int n) => n.ToString(CultureInfo.InvariantCulture);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Text(httpPort)}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["EDGE__DATAPATH"] = Path.Combine(options.Folder, "edge.db"),
            ["EDGE__DEMOSIZE"] = options.DemoSize,
            ["EDGE__MQTT__PORT"] = Text(mqttPort),
            ["EDGE__MQTT__BINDADDRESS"] = "127.0.0.1",
            ["EDGE__MQTT__ENROLLMENTTOKENHASH"] = SecretHasher.Hash(_enrollmentToken),
            ["EDGE__MQTT__MAXMESSAGESPERSECONDPERKIOSK"] = Text(options.KioskRateLimit),
            ["EDGE__BOOTSTRAPAPIKEYHASH"] = _apiKey.Setting,
            // As the edge's systemd unit runs it: glibc keeps fewer malloc arenas for a process with many threads.
            ["MALLOC_ARENA_MAX"] = "2",
        };
        foreach (var (key, value) in options.ExtraEnvironment)
        {
            environment[key] = value;
        }
        // The host says so once every hosted service has started: the store rebuilt, the broker and the site listening.
        _process = ChildProcess.Start(options.EdgeDll, ["--demo"], environment, Path.Combine(options.Folder, "edge.log"), "Application started");
        _api = new EdgeApi(new Uri($"http://127.0.0.1:{Text(httpPort)}"), _apiKey.Key);
        try
        {
            await _process.ReadyLine.WaitAsync(TimeSpan.FromSeconds(120), cancellationToken);
            await _api.CheckHealthyAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            throw new InvalidOperationException($"The edge did not start: {ex.Message}\n{_process.Tail()}", ex);
        }
        Console.WriteLine($"Edge (pid {_process.Pid}) healthy: MQTT {Broker}, HTTP {_api.BaseAddress}, log {_process.LogPath}");
        if (options.AnyTime)
        {
            Console.WriteLine(await _api.AllowPassesAnyTimeAsync(cancellationToken)
                ? "  policy: passes outside periods allowed, so the decisions are those of class time whatever the hour (--school-hours to keep the clock's)"
                : "  warning: could not set the policy's passesOutsidePeriods; outside class time every request is refused");
        }
    }

    public Task<Traffic.School?> SchoolAsync(CancellationToken cancellationToken) => EdgeSchool.ReadAsync(_api!, cancellationToken);

    public async Task PrepareAsync(IReadOnlyList<SimKiosk> kiosks, CancellationToken cancellationToken) =>
        await Enrolment.EnrolAndApproveAsync(kiosks, Broker, _enrollmentToken, _api!, cancellationToken);

    public async Task<string?> DescribeAsync(CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        if (_api is not null && await _api.MetricsAsync(cancellationToken) is { } metrics)
        {
            notes.Add(PrometheusText.Summarize(metrics));
        }
        if (_process is not null)
        {
            notes.Add(EdgeLog.Summarize(_process.LogPath));
        }
        return string.Join('\n', notes.Where(n => n.Length > 0));
    }

    public async ValueTask DisposeAsync()
    {
        _api?.Dispose();
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
