using System.IO.Ports;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PassTrack.Kiosk.Hardware.Scanners;

/// <summary>
/// A scanner in serial mode (USB CDC on /dev/ttyACM*, or a USB-serial adapter), one code per line. If the port fails or
/// the scanner is unplugged, it is opened again every few seconds. One reader at a time: call <see cref="ReadAsync"/> once.
/// </summary>
public sealed partial class SerialScanner : ICodeScanner
{
    private static readonly TimeSpan ReopenEvery = TimeSpan.FromSeconds(2);

    private readonly Func<Stream> _open;
    private readonly ScannerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _disposed = new();

    public SerialScanner(ScannerOptions options, TimeProvider time, ILogger<SerialScanner>? logger = null)
        : this(() => OpenPort(options), options, time, logger)
    {
    }

    internal SerialScanner(Func<Stream> open, ScannerOptions options, TimeProvider time, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _open = open;
        _options = options;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
    }

    public IAsyncEnumerable<ScannedCode> ReadAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        return CodePump.RunAsync(KeepReadingAsync, _disposed.Token, cancellationToken);
    }

    public void Dispose() => _disposed.Cancel();

    private static SerialPortStream OpenPort(ScannerOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            throw new InvalidOperationException("A serial scanner needs the path of its port, e.g. /dev/ttyACM0.");
        }

        // DTR up: some CDC scanners send nothing until the host says it is there.
        var port = new SerialPort(options.Path, options.BaudRate) { DtrEnable = true };
        try
        {
            port.Open();
            return new SerialPortStream(port);
        }
        catch
        {
            port.Dispose();
            throw;
        }
    }

    private async Task KeepReadingAsync(ChannelWriter<ScannedCode> codes, CancellationToken stop)
    {
        await Task.Yield();
        var failedBefore = false;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var port = _open();
                await using var _ = stop.Register(static p => ((Stream)p!).Dispose(), port);
                failedBefore = false;
                LogOpened(_options.Path);
                await ReadLinesAsync(port, codes, stop);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException
                or OperationCanceledException or InvalidOperationException)
            {
                if (!stop.IsCancellationRequested && !failedBefore)
                {
                    LogFailed(_options.Path, ex);
                    failedBefore = true;
                }
            }

            try
            {
                await Task.Delay(ReopenEvery, _time, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task ReadLinesAsync(Stream port, ChannelWriter<ScannedCode> codes, CancellationToken stop)
    {
        var splitter = new LineSplitter(_options.MaxLineLength);
        var lines = new List<ScanLine>();
        var buffer = new byte[256];
        int read;
        while ((read = await port.ReadAsync(buffer, stop)) > 0)
        {
            splitter.Feed(buffer.AsSpan(0, read), lines);
            foreach (var line in lines)
            {
                if (line.DroppedBecause is { } dropped)
                {
                    LogDropped(dropped);
                }
                else if (ScanText.Interpret(line.Text, _options.Role, _options.CardFormat, out var reason) is { } code)
                {
                    codes.TryWrite(code);
                }
                else
                {
                    LogDropped(reason ?? "not a credential");
                }
            }

            lines.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading serial scanner {Path}")]
    private partial void LogOpened(string? path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Serial scanner {Path} failed; opening it again")]
    private partial void LogFailed(string? path, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Serial scanner dropped a line: {Reason}")]
    private partial void LogDropped(string reason);
}
