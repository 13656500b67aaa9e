using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PassTrack.Kiosk.Hardware.Scanners;

/// <summary>Opens the configured scanner.</summary>
public static class Scanners
{
    /// <summary>The scanner, or null when <see cref="ScannerOptions.Kind"/> is <see cref="ScannerKind.None"/>.</summary>
    public static ICodeScanner? Open(ScannerOptions options, TimeProvider time, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        loggers ??= NullLoggerFactory.Instance;
        return options.Kind switch
        {
            ScannerKind.None => null,
            ScannerKind.Evdev => new EvdevScanner(options, time, loggers.CreateLogger<EvdevScanner>()),
            ScannerKind.Serial => new SerialScanner(options, time, loggers.CreateLogger<SerialScanner>()),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kind, "Unknown scanner kind."),
        };
    }
}
