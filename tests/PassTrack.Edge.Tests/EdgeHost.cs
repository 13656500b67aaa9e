using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using PassTrack.Edge.Passes;

namespace PassTrack.Edge.Tests;

/// <summary>
/// A real edge in this process: its own SQLite file in a fresh folder, its MQTT broker on a free loopback port, and
/// a fake clock. HTTP goes through the test server; MQTT through real TCP. Each test makes its own: no test
/// depends on another's data.
/// </summary>
public sealed class EdgeHost : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    private readonly TimeProvider? _clock;

    /// <param name="clock">The edge's clock when a test needs real timers (reconnects, rate caps) rather than <see cref="Clock"/>.</param>
    /// <param name="httpPort">Serve HTTP on this loopback port with Kestrel, for a client in another process (a kiosk fetching an update).</param>
    public EdgeHost(bool demo = true, DateTimeOffset? now = null, Action<Dictionary<string, string?>>? configure = null, TimeProvider? clock = null, int? httpPort = null)
    {
        HttpPort = httpPort;
        if (httpPort is { } port)
        {
            UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        }
        _clock = clock;
        Folder = Directory.CreateTempSubdirectory("passtrack-edge-").FullName;
        MqttPort = FreePort();
        // 10:05 on the demo school's Tuesday, mid period 3.
        Clock = new FakeTimeProvider(now ?? new DateTimeOffset(2026, 12, 1, 15, 5, 0, TimeSpan.Zero));
        _settings = new Dictionary<string, string?>
        {
            ["Edge:DataPath"] = Path.Combine(Folder, "edge.db"),
            ["Edge:Demo"] = demo ? "true" : "false",
            ["Edge:BuildingId"] = "lincoln-hs",
            ["Edge:BuildingName"] = "Lincoln High School",
            ["Edge:Mqtt:Port"] = MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Edge:Mqtt:BindAddress"] = "127.0.0.1",
            ["Edge:TickInterval"] = "00:00:01",
        };
        configure?.Invoke(_settings);
    }

    public string Folder { get; }

    public int MqttPort { get; }

    public int? HttpPort { get; }

    public FakeTimeProvider Clock { get; }

    public string DataPath => _settings["Edge:DataPath"]!;

    public BuildingWriter Writer => Services.GetRequiredService<BuildingWriter>();

    /// <summary>Starts the host (if not yet) and waits until the building is rebuilt and taking commands.</summary>
    public async Task<EdgeHost> StartedAsync()
    {
        if (HttpPort is null)
        {
            _ = Server;
        }
        else
        {
            StartServer();
        }
        await Writer.Ready.WaitAsync(TimeSpan.FromSeconds(30));
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(_clock ?? Clock);
        });
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open is left for the OS to clean; the next test uses its own folder.
            }
        }
    }
}
