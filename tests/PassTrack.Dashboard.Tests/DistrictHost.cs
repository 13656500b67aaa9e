using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using PassTrack.Dashboard.Federation;
using PassTrack.Edge.Tests;

namespace PassTrack.Dashboard.Tests;

/// <summary>
/// A real district dashboard in this process: its SQLite store in a folder of its own and its embedded district
/// broker on a loopback port. Made again on the same folder and port, it is the same district restarted.
/// </summary>
public sealed class DistrictHost(string? folder = null, int? brokerPort = null, IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<DashboardProgram>
{
    public string Folder { get; } = folder ?? Directory.CreateTempSubdirectory("passtrack-district-").FullName;

    public int BrokerPort { get; } = brokerPort ?? EdgeHost.FreePort();

    public DistrictIngest Ingest => Services.GetRequiredService<DistrictIngest>();

    public EdgeCommands Commands => Services.GetRequiredService<EdgeCommands>();

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
    public static EdgeHost LinkedEdge(int brokerPort, string secret, string building = "lincoln-hs") => new(
        clock: new SchoolTimeClock(),
        configure: s =>
        {
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
