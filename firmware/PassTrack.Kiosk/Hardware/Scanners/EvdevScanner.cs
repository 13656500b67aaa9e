using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PassTrack.Kiosk.Hardware.Scanners;

/// <summary>
/// A USB keyboard-wedge scanner or card reader read straight from its evdev node(s), grabbed so its keystrokes go
/// nowhere else. Several nodes may match (some devices expose two, only one of which types); all are read. Every few
/// seconds the nodes are looked for again, so a scanner plugged in late or unplugged and plugged back is picked up.
/// One reader at a time: call <see cref="ReadAsync"/> once.
/// </summary>
public sealed partial class EvdevScanner : ICodeScanner
{
    private static readonly TimeSpan LookAgainEvery = TimeSpan.FromSeconds(2);

    private readonly IKeyboardNodes _nodes;
    private readonly ScannerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _disposed = new();
    private readonly HashSet<string> _failing = [];
    private readonly Lock _gate = new();

    public EvdevScanner(ScannerOptions options, TimeProvider time, ILogger<EvdevScanner>? logger = null)
        : this(new EvdevNodes(options ?? throw new ArgumentNullException(nameof(options))), options, time, logger)
    {
    }

    internal EvdevScanner(IKeyboardNodes nodes, ScannerOptions options, TimeProvider time, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(time);
        _nodes = nodes;
        _options = options;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
    }

    public IAsyncEnumerable<ScannedCode> ReadAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        return CodePump.RunAsync(WatchNodesAsync, _disposed.Token, cancellationToken);
    }

    public void Dispose()
    {
        // Not disposed: a ReadAsync still unwinding may be linked to it.
        _disposed.Cancel();
    }

    private async Task WatchNodesAsync(ChannelWriter<ScannedCode> codes, CancellationToken stop)
    {
        var reading = new Dictionary<string, Task>(StringComparer.Ordinal);
        while (!stop.IsCancellationRequested)
        {
            foreach (var ended in reading.Where(r => r.Value.IsCompleted).Select(r => r.Key).ToList())
            {
                reading.Remove(ended);
            }

            foreach (var path in FindNodes().Where(p => !reading.ContainsKey(p)))
            {
                reading[path] = ReadNodeAsync(path, codes, stop);
            }

            try
            {
                await Task.Delay(LookAgainEvery, _time, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(reading.Values);
    }

    private IReadOnlyList<string> FindNodes()
    {
        try
        {
            return _nodes.Find();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or TimeoutException)
        {
            LogCannotLook(ex);
            return [];
        }
    }

    private async Task ReadNodeAsync(string path, ChannelWriter<ScannedCode> codes, CancellationToken stop)
    {
        // Off the caller's thread: opening and grabbing are blocking system calls.
        await Task.Yield();
        Stream node;
        try
        {
            node = _nodes.Open(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            bool first;
            lock (_gate)
            {
                first = _failing.Add(path);
            }

            if (first)
            {
                LogCannotOpen(path, ex);
            }

            return;
        }

        lock (_gate)
        {
            _failing.Remove(path);
        }

        LogOpened(path);
        var decoder = KeyEventDecoder.ForThisProcess(_options.MaxLineLength);
        var buffer = new byte[decoder.RecordSize * 64];
        var lines = new List<ScanLine>();
        await using (node)
        await using (stop.Register(static n => ((Stream)n!).Dispose(), node))
        {
            try
            {
                int read;
                while ((read = await node.ReadAsync(buffer, stop)) > 0)
                {
                    decoder.Feed(buffer.AsSpan(0, read), lines);
                    Deliver(path, lines, codes);
                    lines.Clear();
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
            {
                if (!stop.IsCancellationRequested)
                {
                    LogLost(path, ex);
                }
            }
        }
    }

    private void Deliver(string path, List<ScanLine> lines, ChannelWriter<ScannedCode> codes)
    {
        foreach (var line in lines)
        {
            if (line.DroppedBecause is { } dropped)
            {
                LogDropped(path, dropped);
            }
            else if (ScanText.Interpret(line.Text, _options.Role, _options.CardFormat, out var reason) is { } code)
            {
                codes.TryWrite(code);
            }
            else
            {
                LogDropped(path, reason ?? "not a credential");
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading scanner {Path}")]
    private partial void LogOpened(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot open scanner {Path}; is the kiosk user in the input group?")]
    private partial void LogCannotOpen(string path, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot look for scanners under /dev/input")]
    private partial void LogCannotLook(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost scanner {Path}; looking for it again")]
    private partial void LogLost(string path, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scanner {Path}: dropped a line, {Reason}")]
    private partial void LogDropped(string path, string reason);
}
