using System.Diagnostics;
using System.Threading.Channels;
using PassTrack.Kiosk.Tests.Link;

namespace PassTrack.Kiosk.Tests.Updates;

/// <summary>
/// The kiosk installed as on the wall, run the way its systemd unit runs it: before every start the flashed version's
/// <c>--update-check</c> (ExecStartPre), then the launcher (ExecStart), which runs the version <c>current</c> names;
/// whenever the kiosk exits it is started again (Restart=always). The flashed install is the kiosk's real build folder
/// with its native launcher; the state folder plays the data partition.
/// </summary>
internal sealed class KioskAppliance : IAsyncDisposable
{
    private readonly string _flashed;
    private readonly string _state;
    private readonly IReadOnlyList<string> _args;
    private readonly CancellationTokenSource _stop = new();
    // Completes when the appliance is disposed: the supervisor waits on it beside the running kiosk's exit.
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<Generation> _generations = Channel.CreateUnbounded<Generation>();
    private readonly List<KioskProcess> _started = [];
    private readonly List<string> _log = [];
    private readonly Task _loop;

    private KioskAppliance(string flashed, string state, IReadOnlyList<string> args)
    {
        _flashed = flashed;
        _state = state;
        _args = args;
        _loop = Task.Run(SuperviseAsync);
    }

    /// <summary>One start of the unit: the kiosk that came up, or why it did not.</summary>
    public sealed record Generation(int Number, KioskProcess? Kiosk, string? Failure);

    /// <summary>The kiosk's own Release or Debug build folder, the same configuration as these tests.</summary>
    public static string FlashedBuild { get; } = FindBuild();

    public static string Launcher { get; } = Path.Combine(RepositoryRoot, "firmware", "PassTrack.Kiosk", "Deploy", "passtrack-kiosk-launch");

    private static string RepositoryRoot
    {
        get
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "PassTrack.sln")))
            {
                folder = folder.Parent;
            }
            return folder?.FullName ?? throw new InvalidOperationException("not inside the repository");
        }
    }

    /// <summary>What the supervisor saw: the update checks' lines and the starts that failed.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return string.Join('\n', _log);
            }
        }
    }

    public static KioskAppliance Start(string state, IReadOnlyList<string> args) => new(FlashedBuild, state, args);

    /// <summary>Waits for a start whose kiosk runs <paramref name="version"/>, passing over the others (and failed starts).</summary>
    public async Task<KioskProcess> RunningAsync(string version, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        try
        {
            await foreach (var generation in _generations.Reader.ReadAllAsync(timeout.Token))
            {
                if (generation.Kiosk is not { } kiosk)
                {
                    continue;
                }
                try
                {
                    // Every start logs "Kiosk <id> <version> starting; edge ...", perhaps after its first screen.
                    await kiosk.LoggedAsync(" starting; edge", TimeSpan.FromSeconds(60), timeout.Token);
                }
                catch (TimeoutException)
                {
                    continue;
                }
                if (kiosk.Logged($" {version} starting"))
                {
                    return kiosk;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
        throw new TimeoutException($"No kiosk running {version} started:\n{Log}");
    }

    private async Task SuperviseAsync()
    {
        for (var number = 1; !_stop.IsCancellationRequested; number++)
        {
            await CheckAsync();
            KioskProcess kiosk;
            try
            {
                kiosk = await KioskProcess.StartAsync(Unit("sh", [Launcher, .. _args]));
            }
            catch (InvalidOperationException ex)
            {
                Note($"start {number} failed: {ex.Message}");
                _generations.Writer.TryWrite(new Generation(number, null, ex.Message));
                continue;
            }
            lock (_started)
            {
                _started.Add(kiosk);
            }
            _generations.Writer.TryWrite(new Generation(number, kiosk, null));
            await Task.WhenAny(kiosk.Exited, _stopped.Task);
            if (kiosk.Exited.IsCompleted)
            {
                await kiosk.DrainedAsync();
                Note($"start {number} exited with {kiosk.ExitCode}; its last lines:\n{kiosk.Output}");
            }
        }
    }

    /// <summary>ExecStartPre: the flashed version's update check, to the end.</summary>
    private async Task CheckAsync()
    {
        using var check = Process.Start(Unit(Path.Combine(_flashed, "passtrack-kiosk"), ["--update-check", $"--Kiosk:Updates:Root={_state}"]))!;
        var output = await check.StandardOutput.ReadToEndAsync();
        var error = await check.StandardError.ReadToEndAsync();
        await check.WaitForExitAsync();
        Note(output.Trim() + error.Trim());
    }

    private ProcessStartInfo Unit(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["PASSTRACK_STATE"] = _state;
        start.Environment["PASSTRACK_BASE"] = _flashed;
        // The native launcher finds the runtime the tests run on.
        start.Environment["DOTNET_ROOT"] = DotnetRoot;
        return start;
    }

    private static string DotnetRoot =>
        Path.GetDirectoryName(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
            : Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path
            : "/usr/share/dotnet/dotnet")!;

    private void Note(string line)
    {
        lock (_log)
        {
            _log.Add(line);
        }
    }

    private static string FindBuild()
    {
        // tests/PassTrack.Kiosk.Tests/bin/<Configuration>/net10.0/
        var net = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = net.Parent!.Name;
        var build = Path.Combine(RepositoryRoot, "firmware", "PassTrack.Kiosk", "bin", configuration, net.Name);
        return File.Exists(Path.Combine(build, "passtrack-kiosk")) ? build : throw new InvalidOperationException($"no kiosk build at {build}");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _stopped.TrySetResult();
        await _loop;
        List<KioskProcess> started;
        lock (_started)
        {
            started = [.. _started];
        }
        foreach (var kiosk in started)
        {
            await kiosk.DisposeAsync();
        }
        _stop.Dispose();
    }
}
