using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using PassTrack.Kiosk.Appliance;

namespace PassTrack.Kiosk.Tests.Link;

/// <summary>
/// The real kiosk app as its own process, in <c>--simulate</c> mode with scripted input: taps go in on standard
/// input, the screen and the numbered sounds come out on standard output, and SIGKILL cuts its power.
/// </summary>
internal sealed partial class KioskProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _drawn = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HashSet<int> _taps = [];
    private readonly List<(int Count, TaskCompletionSource Done)> _beepWaiters = [];
    private readonly TaskCompletionSource _replayed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];
    private readonly Queue<string> _screen = new();
    private readonly List<(string Text, TaskCompletionSource Done)> _screenWaiters = [];

    private readonly List<(string Text, TaskCompletionSource Done)> _logWaiters = [];

    private KioskProcess(ProcessStartInfo start)
    {
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Observe(e.Data);
        _process.ErrorDataReceived += (_, e) => Observe(e.Data);
        _process.Exited += (_, _) => _exited.TrySetResult();
    }

    private static ProcessStartInfo Simulated(string credentials, string outbox, int edgePort)
    {
        var start = new ProcessStartInfo("dotnet");
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(typeof(KioskService).Assembly.Location);
        start.ArgumentList.Add("--simulate");
        start.ArgumentList.Add($"--Kiosk:CredentialPath={credentials}");
        start.ArgumentList.Add($"--Kiosk:QueuePath={outbox}");
        start.ArgumentList.Add("--Kiosk:Edge:Host=127.0.0.1");
        start.ArgumentList.Add($"--Kiosk:Edge:Port={edgePort.ToString(CultureInfo.InvariantCulture)}");
        return start;
    }

    /// <summary>How many taps the kiosk has beeped for: each one was stored before its beep.</summary>
    public int Beeped
    {
        get
        {
            lock (_taps)
            {
                return _taps.Count;
            }
        }
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                // The log and the sounds; the screens drawn in between would bury them.
                return string.Join('\n', _output.Where(l => l.Length > 0 && l[0] is not ('|' or '+')).TakeLast(40));
            }
        }
    }

    public static Task<KioskProcess> StartAsync(string credentials, string outbox, int edgePort) => StartAsync(Simulated(credentials, outbox, edgePort));

    /// <summary>Any way of starting the kiosk (a launcher script, say) that ends in <c>--simulate</c>.</summary>
    public static async Task<KioskProcess> StartAsync(ProcessStartInfo start)
    {
        var kiosk = new KioskProcess(start);
        kiosk._process.Start();
        kiosk._process.BeginOutputReadLine();
        kiosk._process.BeginErrorReadLine();
        try
        {
            await Task.WhenAny(kiosk._drawn.Task, kiosk._exited.Task).WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            await kiosk.KillAsync();
            throw new InvalidOperationException("The kiosk did not draw its screen within 60 s:\n" + kiosk.Output);
        }
        if (!kiosk._drawn.Task.IsCompleted)
        {
            throw new InvalidOperationException("The kiosk exited before drawing its screen:\n" + kiosk.Output);
        }
        return kiosk;
    }

    public async Task SendAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>SIGKILL: no shutdown code runs; only what was already flushed to disk survives.</summary>
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
        if (line.StartsWith('+'))
        {
            _drawn.TrySetResult();
        }
        lock (_logWaiters)
        {
            foreach (var waiter in _logWaiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).ToList())
            {
                waiter.Done.TrySetResult();
                _logWaiters.Remove(waiter);
            }
        }
        if (line.StartsWith('|'))
        {
            lock (_screen)
            {
                // The LCD's four rows, as last drawn.
                _screen.Enqueue(line);
                while (_screen.Count > 4)
                {
                    _screen.Dequeue();
                }
                var shown = string.Join('\n', _screen);
                foreach (var waiter in _screenWaiters.Where(w => shown.Contains(w.Text, StringComparison.Ordinal)).ToList())
                {
                    waiter.Done.TrySetResult();
                    _screenWaiters.Remove(waiter);
                }
            }
        }
        if (line.Contains("Outbox empty", StringComparison.Ordinal))
        {
            _replayed.TrySetResult();
        }
        if (SoundLine().Match(line) is { Success: true } sound && sound.Groups[2].Value == "Tap")
        {
            lock (_taps)
            {
                _taps.Add(int.Parse(sound.Groups[1].Value, CultureInfo.InvariantCulture));
                foreach (var waiter in _beepWaiters.Where(w => _taps.Count >= w.Count).ToList())
                {
                    waiter.Done.TrySetResult();
                    _beepWaiters.Remove(waiter);
                }
            }
        }
    }

    /// <summary>Completes once the kiosk has beeped for at least <paramref name="count"/> taps.</summary>
    public Task BeepedAsync(int count, CancellationToken cancellationToken)
    {
        lock (_taps)
        {
            if (_taps.Count >= count)
            {
                return Task.CompletedTask;
            }
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _beepWaiters.Add((count, done));
            return done.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }
    }

    /// <summary>Completes once the kiosk's LCD shows <paramref name="text"/> (within one row).</summary>
    public Task ScreenShowsAsync(string text, CancellationToken cancellationToken)
    {
        lock (_screen)
        {
            if (string.Join('\n', _screen).Contains(text, StringComparison.Ordinal))
            {
                return Task.CompletedTask;
            }
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _screenWaiters.Add((text, done));
            return done.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }
    }

    /// <summary>
    /// Completes once the kiosk has written a line containing <paramref name="text"/>, before or after this call. Its log
    /// (standard error) may lag its screen (standard output): the two pipes are read apart.
    /// </summary>
    public Task LoggedAsync(string text, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_logWaiters)
        {
            _logWaiters.Add((text, done));
        }
        // A line is stored before waiters are looked at: registered first, then checked, nothing falls between.
        if (Logged(text))
        {
            done.TrySetResult();
        }
        return done.Task.WaitAsync(timeout, cancellationToken);
    }

    /// <summary>Completes when the process has exited and everything it wrote has been read.</summary>
    public Task DrainedAsync() => _process.WaitForExitAsync();

    /// <summary>Everything the kiosk wrote, screens included, for a failure's message.</summary>
    public string Transcript
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output.TakeLast(200));
            }
        }
    }

    /// <summary>Whether any line the kiosk wrote so far contains <paramref name="text"/>.</summary>
    public bool Logged(string text)
    {
        lock (_output)
        {
            return _output.Exists(l => l.Contains(text, StringComparison.Ordinal));
        }
    }

    /// <summary>Completes when the process has exited.</summary>
    public Task Exited => _exited.Task;

    public int ExitCode => _process.ExitCode;

    /// <summary>The LCD's rows as last drawn.</summary>
    public string Screen
    {
        get
        {
            lock (_screen)
            {
                return string.Join('\n', _screen);
            }
        }
    }

    /// <summary>Completes when the kiosk logs that the outbox it started with has been delivered to the edge.</summary>
    public Task ReplayedAsync(CancellationToken cancellationToken) => _replayed.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);

    [GeneratedRegex(@"^sound #(\d+): (\w+)")]
    private static partial Regex SoundLine();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }
        _process.Dispose();
    }
}
