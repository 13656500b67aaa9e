using Microsoft.Extensions.Logging;
using PassTrack.Contracts.Protocol;
using PassTrack.Kiosk.Flow;
using PassTrack.Kiosk.Hardware;
using PassTrack.Kiosk.Hardware.CardReader;

namespace PassTrack.Kiosk.Appliance;

/// <summary>
/// Looks at the card reader and the keypad every poll interval and hands what it finds to the flow. A reader that
/// stops answering is reported (the kiosk still takes typed numbers) and recovered with growing pauses.
/// </summary>
public sealed partial class ScanLoop(ICardReader reader, IKeypad? keypad, KioskFlow flow, TimeProvider time, TimeSpan interval, ILogger<ScanLoop> logger)
{
    private readonly CardTaps _taps = new(time);
    private int _failures;
    private long _nextRecovery;

    /// <summary>When the loop last went round (the watchdog's view).</summary>
    public long LastPollTimestamp { get; private set; } = time.GetTimestamp();

    public ReaderHealth Health => _failures == 0 ? reader.Health : ReaderHealth.Failed;

    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                LastPollTimestamp = time.GetTimestamp();
                PollReader();
                if (keypad?.Poll() is { } key)
                {
                    flow.Post(new KeyPressed(key));
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private void PollReader()
    {
        if (_failures > 0 && time.GetTimestamp() < _nextRecovery)
        {
            return;
        }
        try
        {
            if (_failures > 0)
            {
                reader.Recover();
                ReaderBack(logger, _failures);
                _failures = 0;
                flow.Post(new ReaderChanged(true));
            }
            if (_taps.Poll(reader) is { } card)
            {
                flow.Post(new CardTapped(card));
            }
        }
        catch (CardReaderException ex)
        {
            if (_failures++ == 0)
            {
                ReaderFailed(logger, ex);
                flow.Post(new ReaderChanged(false));
            }
            var pause = TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, Math.Min(_failures, 10))));
            _nextRecovery = time.GetTimestamp() + (long)(pause.TotalSeconds * time.TimestampFrequency);
        }
    }

    [LoggerMessage(1, LogLevel.Error, "The card reader stopped answering; students can type their number meanwhile")]
    private static partial void ReaderFailed(ILogger logger, Exception exception);

    [LoggerMessage(2, LogLevel.Information, "The card reader is back after {Attempts} attempts")]
    private static partial void ReaderBack(ILogger logger, int attempts);
}
