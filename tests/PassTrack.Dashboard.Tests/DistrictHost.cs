using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PassTrack.Dashboard.Federation;
using PassTrack.Edge.Tests;

namespace PassTrack.Dashboard.Tests;

/// <summary>
/// A real district dashboard in this process: its SQLite store in a folder of its own and its embedded district
/// broker on a loopback port. Made again on the same folder and port, it is the same district restarted.
/// </summary>
public sealed class DistrictHost(string? folder = null, int? brokerPort = null, IReadOnlyDictionary<string, string>? settings = null, TimeProvider? clock = null) : WebApplicationFactory<DashboardProgram>
{
    public string Folder { get; } = folder ?? Directory.CreateTempSubdirectory("passtrack-district-").FullName;

    public int BrokerPort { get; } = brokerPort ?? EdgeHost.FreePort();

    public DistrictIngest Ingest => Services.GetRequiredService<DistrictIngest>();

    public EdgeCommands Commands => Services.GetRequiredService<EdgeCommands>();

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _logs = new();

    /// <summary>Every line the district logged (warnings and above), as "Category: message".</summary>
    public IReadOnlyCollection<string> Logs => _logs;

    /// <summary>Starts the district and waits until its broker listens.</summary>
    public async Task<DistrictHost> StartedAsync()
    {
        StartServer();
        await Services.GetRequiredService<DistrictBroker>().Ready.WaitAsync(TimeSpan.FromSeconds(30));
        return this;
    }

    public Task<RegisteredBuilding> RegisterAsync(string id = "lincoln-hs", string name = "Lincoln High School") =>
        Services.GetRequiredService<BuildingRegistry>().RegisterAsync(id, name);

    /// <summary>An edge of the demo school linked to this district, on school time with real timers so it reconnects on its own.</summary>
    public static EdgeHost LinkedEdge(int brokerPort, string secret, string building = "lincoln-hs", Action<Dictionary<string, string?>>? more = null) => new(
        clock: new SchoolTimeClock(),
        configure: s =>
        {
            more?.Invoke(s);
            s["Edge:BuildingId"] = building;
            s["Edge:District:Host"] = "127.0.0.1";
            s["Edge:District:Port"] = brokerPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
            s["Edge:District:Secret"] = secret;
            s["Edge:District:MinReconnectDelay"] = "00:00:00.100";
            s["Edge:District:MaxReconnectDelay"] = "00:00:00.500";
        });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureLogging(l => l.AddProvider(new LineLogger(_logs)));
        if (clock is not null)
        {
            // The edge's school time, so that elapsed times on pages read as the edge decided them.
            builder.ConfigureServices(s => s.AddSingleton(clock));
        }
        builder.UseSetting("District:DataPath", Path.Combine(Folder, "district.db"));
        builder.UseSetting("District:Broker:Port", BrokerPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("District:Broker:BindAddress", "127.0.0.1");
        builder.UseSetting("District:CommandTimeout", "00:00:05");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }
}

/// <summary>Keeps what the district logs at Warning or above, for tests that check a refusal was logged with its reason.</summary>
internal sealed class LineLogger(System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILoggerProvider, ILogger
{
    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            lines.Enqueue(formatter(state, exception));
        }
    }

    public void Dispose()
    {
    }
}
