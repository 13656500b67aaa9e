using System.Diagnostics;
using System.Globalization;
using PassTrack.LoadTool.Cli;

namespace PassTrack.LoadTool.Targets;

/// <summary>
/// The real district dashboard as a child process (<c>dotnet PassTrack.Dashboard.dll</c>): its own store in a
/// temporary folder, its embedded district broker and its web site on free loopback ports. Its command line
/// (<c>register-building</c>, <c>add-user</c>) runs against the same store before it starts.
/// </summary>
public sealed class DistrictDashboard : IAsyncDisposable
{
    private readonly string _dll;
    private readonly string _folder;
    private readonly Dictionary<string, string> _environment;
    private ChildProcess? _process;

    /// <param name="development">
    /// Runs it as ASP.NET's Development environment: its sign-in cookies are then not marked Secure, so a browser keeps
    /// them over the plain HTTP of loopback.
    /// </param>
    public DistrictDashboard(string dll, string folder, bool development = false)
    {
        _dll = dll;
        _folder = folder;
        BrokerPort = ChildProcess.FreePort();
        Site = new Uri($"http://127.0.0.1:{ChildProcess.FreePort().ToString(CultureInfo.InvariantCulture)}");
        _environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["District__DataPath"] = Path.Combine(folder, "district.db"),
            ["District__Broker__Port"] = BrokerPort.ToString(CultureInfo.InvariantCulture),
            ["District__Broker__BindAddress"] = "127.0.0.1",
            ["ASPNETCORE_URLS"] = Site.ToString().TrimEnd('/'),
            ["MALLOC_ARENA_MAX"] = "2",
        };
        if (development)
        {
            _environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        }
    }

    /// <summary>The built dashboard: <paramref name="given"/> (--dashboard-dll) or the repository's Release build.</summary>
    public static string Dll(string? given)
    {
        var dll = Path.GetFullPath(given ?? DefaultDll());
        return File.Exists(dll)
            ? dll
            : throw new UsageException($"The dashboard is not built at {dll}: run 'dotnet build dashboard/PassTrack.Dashboard -c Release' or pass --dashboard-dll.");
    }

    /// <summary>The district broker's port, which the buildings' edges dial.</summary>
    public int BrokerPort { get; }

    /// <summary>The web site's address (loopback).</summary>
    public Uri Site { get; }

    public int Pid => _process?.Pid ?? 0;

    public string LogPath => Path.Combine(_folder, "dashboard.log");

    /// <summary>Registers a building; returns its secret (for that building's edge alone).</summary>
    public Task<string> RegisterBuildingAsync(string id, string name, CancellationToken cancellationToken) =>
        RunCommandAsync(["register-building", id, name], cancellationToken);

    /// <summary>Adds a user with a role in a building (and a room); returns the temporary password.</summary>
    public Task<string> AddUserAsync(string userName, string role, string buildingId, string? roomId, string displayName, CancellationToken cancellationToken) =>
        RunCommandAsync(["add-user", userName, role, buildingId, roomId ?? "", displayName], cancellationToken);

    /// <summary>Starts the dashboard and waits until its district ingest listens and its web site answers.</summary>
    public async Task StartAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        // The ingest connects in the background, and the host says "Application started" once Kestrel listens: both.
        _process = ChildProcess.Start(_dll, [], _environment, LogPath, "District ingest connected", "Application started");
        try
        {
            await _process.ReadyLine.WaitAsync(within, cancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw new InvalidOperationException($"The dashboard did not start within {within.TotalSeconds:0} s.\n{_process.Tail()}", ex);
        }
    }

    /// <summary>Runs one of the dashboard's commands against this store and returns what it printed on stdout.</summary>
    private async Task<string> RunCommandAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(_dll);
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }
        foreach (var (key, value) in _environment)
        {
            info.Environment[key] = value;
        }
        using var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        var output = (await process.StandardOutput.ReadToEndAsync(cancellationToken)).Trim();
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0 && output.Length > 0
            ? output
            : throw new InvalidOperationException($"{string.Join(' ', info.ArgumentList.Skip(1))} failed: {await errors}");
    }

    private static string DefaultDll()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PassTrack.sln")))
            {
                return Path.Combine(dir.FullName, "dashboard", "PassTrack.Dashboard", "bin", "Release", "net10.0", "PassTrack.Dashboard.dll");
            }
        }
        return "PassTrack.Dashboard.dll";
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
