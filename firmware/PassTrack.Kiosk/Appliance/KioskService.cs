using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using PassTrack.Kiosk.Flow;
using PassTrack.Kiosk.Hardware;
using PassTrack.Kiosk.Link;
using PassTrack.Kiosk.Updates;

namespace PassTrack.Kiosk.Appliance;

/// <summary>The devices the kiosk runs with: real drivers on the wall, terminal ones under <c>--simulate</c>.</summary>
public sealed record KioskDevices(ICardReader Reader, ITextDisplay Display, ISounder Sounder, IKeypad? Keypad, IReadOnlyList<ICodeScanner> Scanners) : IDisposable
{
    public void Dispose()
    {
        Reader.Dispose();
        Display.Dispose();
        Sounder.Dispose();
        Keypad?.Dispose();
        foreach (var scanner in Scanners)
        {
            scanner.Dispose();
        }
    }
}

/// <summary>Runs the kiosk: the outbox and the link to the edge, the flow, the scan loop, the scanners and the watchdog.</summary>
public sealed partial class KioskService(
    KioskOptions options,
    KioskCredentials credentials,
    KioskDevices devices,
    TimeProvider time,
    ISystemdNotifier notifier,
    ILoggerFactory loggers,
    Action<KioskFlow>? attach = null,
    Action? stopApplication = null) : BackgroundService
{
    /// <summary>The exit code when the kiosk stops to start another version (systemd's <c>Restart=always</c> starts it).</summary>
    public const int ExitForUpdate = 75;

    public static string Firmware { get; } = UpdateAgent.RunningVersion(AppContext.BaseDirectory, typeof(KioskService).Assembly);

    /// <summary>Set when the kiosk stopped to switch versions.</summary>
    public bool RestartRequested { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var logger = loggers.CreateLogger<KioskService>();
        using var outbox = new ScanOutbox(options.QueuePath);
        await using var link = new EdgeLink(new LinkOptions
        {
            Host = options.Edge.Host,
            Port = options.Edge.Port,
            UseTls = options.Edge.UseTls,
            KioskId = credentials.KioskId,
            Secret = credentials.Secret ?? "",
            EnrollmentToken = credentials.EnrollmentToken,
            Firmware = Firmware,
            Heartbeat = options.Heartbeat,
        }, outbox, time, loggers.CreateLogger<EdgeLink>());
        var flow = new KioskFlow(link, devices.Display, devices.Sounder, time, new FlowOptions { KioskId = credentials.KioskId }, loggers.CreateLogger<KioskFlow>());
        var scanLoop = new ScanLoop(devices.Reader, devices.Keypad, flow, time, options.PollInterval, loggers.CreateLogger<ScanLoop>());
        var watchdog = new Watchdog(notifier, time, [() => scanLoop.LastPollTimestamp, () => flow.LastTurnTimestamp], () => link.Alive);
        using var updates = NewUpdateAgent(link, flow, watchdog, logger);
        link.CommandReceived += command =>
        {
            if (command is { Type: Contracts.Protocol.CommandType.Update, Update: { } offer })
            {
                // Beside the flow: a download never holds up a student.
                updates.Offer(offer);
                return;
            }
            if (command.Type == Contracts.Protocol.CommandType.TimeSync && time is EdgeTime clock)
            {
                var before = clock.Offset;
                clock.Sync(command.At);
                if ((clock.Offset - before).Duration() > TimeSpan.FromSeconds(1))
                {
                    ClockOffset(logger, clock.Offset.TotalSeconds);
                }
            }
            flow.Post(new CommandArrived(command));
        };
        link.ConnectionChanged += online => flow.Post(new LinkChanged(online));
        link.ReaderHealth = () => scanLoop.Health;
        attach?.Invoke(flow);
        Started(logger, credentials.KioskId, Firmware, options.Edge.Host, options.Edge.Port, outbox.Count);

        var work = new List<Task> { flow.RunAsync(stoppingToken), scanLoop.RunAsync(stoppingToken), updates.RunAsync(stoppingToken) };
        work.AddRange(devices.Scanners.Select(s => ReadScannerAsync(s, flow, logger, stoppingToken)));
        if (Watchdog.Interval is { } interval)
        {
            work.Add(watchdog.RunAsync(interval, stoppingToken));
        }
        await link.StartAsync();
        try
        {
            await Task.WhenAll(work);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private UpdateAgent NewUpdateAgent(EdgeLink link, KioskFlow flow, Watchdog watchdog, ILogger logger)
    {
        string? key = null;
        try
        {
            key = File.ReadAllText(options.Updates.PublicKeyPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            NoUpdateKey(logger, options.Updates.PublicKeyPath);
        }
        // Trial deadlines on the system clock, not the edge's: the check before the next start (another process,
        // before any link) reads them against the same clock.
        var store = new UpdateStore(options.Updates.Root, key, TimeProvider.System);
        var hooks = new UpdateAgentHooks(
            link.ReportUpdateAsync,
            () => link.IsConnected,
            // Loops that went round in the last ten seconds: the same test the watchdog applies, tighter.
            () => watchdog.Healthy(TimeSpan.FromSeconds(10)),
            () => flow.StateName is "Idle" or "Setup",
            _ =>
            {
                RestartRequested = true;
                stopApplication?.Invoke();
            });
        return new UpdateAgent(store, Firmware, options.Updates.BaseAddress(options.Edge), options.Updates.Trial, hooks, time, loggers.CreateLogger<UpdateAgent>())
        {
            RetryDelay = options.Updates.RetryDelay,
            HealthyFor = options.Updates.HealthyFor,
        };
    }

    private static async Task ReadScannerAsync(ICodeScanner scanner, KioskFlow flow, ILogger logger, CancellationToken stop)
    {
        try
        {
            await foreach (var code in scanner.ReadAsync(stop))
            {
                flow.Post(new CodeScanned(code));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (IOException ex)
        {
            // An unplugged scanner: the card reader and keypad carry on.
            ScannerLost(logger, ex);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Kiosk {KioskId} {Firmware} starting; edge {Host}:{Port}; {Queued} requests waiting in the outbox")]
    private static partial void Started(ILogger logger, string kioskId, string firmware, string host, int port, int queued);

    [LoggerMessage(2, LogLevel.Warning, "A scanner stopped")]
    private static partial void ScannerLost(ILogger logger, Exception exception);

    [LoggerMessage(4, LogLevel.Warning, "No district update key at {Path}: this kiosk will refuse updates")]
    private static partial void NoUpdateKey(ILogger logger, string path);

    [LoggerMessage(3, LogLevel.Information, "Kiosk clock set to the edge's: {Seconds:0.000} s from the system clock")]
    private static partial void ClockOffset(ILogger logger, double seconds);
}
