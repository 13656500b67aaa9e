using System.Diagnostics;
using System.Globalization;

namespace PassTrack.Edge.Tests.Durability;

/// <summary>
/// The edge as a separate operating-system process on a given store, so a test can kill it with SIGKILL the way a
/// power cut or an OOM kill would, and start it again on the same files.
/// </summary>
internal sealed class EdgeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];

    private EdgeProcess(string dataPath, int mqttPort, int httpPort)
    {
        MqttPort = mqttPort;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        start.Environment["Edge__DataPath"] = dataPath;
        start.Environment["Edge__Demo"] = "true";
        start.Environment["Edge__Mqtt__Port"] = mqttPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["Edge__Mqtt__BindAddress"] = "127.0.0.1";
        start.Environment["Edge__Mqtt__MaxMessagesPerSecondPerKiosk"] = "1000";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Observe(e.Data);
        _process.ErrorDataReceived += (_, e) => Observe(e.Data);
        _process.Exited += (_, _) =>
        {
            _exited.TrySetResult();
            _started.TrySetException(new InvalidOperationException("The edge exited before it started:\n" + Output));
        };
    }

    public int MqttPort { get; }

    public int Id => _process.Id;

    public Task Exited => _exited.Task;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output.TakeLast(40));
            }
        }
    }

    /// <summary>Starts the edge and returns once it says it has started (its broker is then listening).</summary>
    public static async Task<EdgeProcess> StartAsync(string dataPath, int mqttPort)
    {
        var edge = new EdgeProcess(dataPath, mqttPort, EdgeHost.FreePort());
        edge._process.Start();
        edge._process.BeginOutputReadLine();
        edge._process.BeginErrorReadLine();
        await edge._started.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return edge;
    }

    /// <summary>SIGKILL: no shutdown code runs, nothing is flushed that was not already durable.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _exited.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private void Observe(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Add(line);
        }
        if (line.Contains("Application started", StringComparison.Ordinal))
        {
            _started.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }
        _process.Dispose();
    }
}
