using System.Device.Pwm;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PassTrack.Kiosk.Hardware.Sound;

/// <summary>
/// A passive piezo (or a small amplifier) on a hardware PWM channel. <see cref="Play"/> sets the first note and returns;
/// a timer on the injected clock steps through the rest, so the scan loop never waits for a tone. A new tone replaces
/// the one playing. The sounder owns the channel and disposes it.
/// </summary>
public sealed partial class PwmSounder : ISounder
{
    private readonly PwmChannel _channel;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly double _volume;
    private readonly Lock _gate = new();
    private ITimer? _timer;
    private TonePattern? _pattern;
    private int _step;
    private long _generation;
    private bool _running;
    private bool _disposed;

    public PwmSounder(PwmChannel channel, TimeProvider time, double volume = 0.5, ILogger<PwmSounder>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(time);
        _channel = channel;
        _time = time;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _volume = Math.Clamp(volume, 0, 0.5);
        _channel.DutyCycle = 0;
    }

    /// <summary>Opens the configured channel through the kernel's PWM interface (needs the pwm overlay).</summary>
    public static PwmSounder Open(SoundOptions options, TimeProvider time, ILogger<PwmSounder>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var channel = PwmChannel.Create(options.PwmChip, options.PwmChannel, 400, 0);
        return new PwmSounder(channel, time, options.Volume, logger);
    }

    public void Play(Tone tone)
    {
        var pattern = TonePatterns.For(tone);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            CancelPattern();
            _pattern = pattern;
            _step = 0;
            _timer = _time.CreateTimer(OnStepEnded, ++_generation, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            StartStep();
        }
    }

    public void Silence()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            CancelPattern();
            Quiet();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            CancelPattern();
            Quiet();
            _channel.Dispose();
            _disposed = true;
        }
    }

    private void OnStepEnded(object? state)
    {
        lock (_gate)
        {
            if (_disposed || _pattern is null || (long)state! != _generation)
            {
                return;
            }

            _step++;
            if (_step == _pattern.Steps.Count)
            {
                if (!_pattern.Repeats)
                {
                    CancelPattern();
                    Quiet();
                    return;
                }

                _step = 0;
            }

            StartStep();
        }
    }

    private void StartStep()
    {
        var step = _pattern!.Steps[_step];
        try
        {
            // Duty to 0 first: the kernel refuses a new period shorter than the duty cycle still set.
            _channel.DutyCycle = 0;
            if (!step.IsRest)
            {
                _channel.Frequency = step.Frequency;
                _channel.DutyCycle = _volume;
                if (!_running)
                {
                    _channel.Start();
                    _running = true;
                }
            }

            _timer!.Change(step.Duration, Timeout.InfiniteTimeSpan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // Sound is feedback, not function: a failing PWM must not take the scan loop down with it.
            LogPwmFailed(ex);
            CancelPattern();
        }
    }

    private void CancelPattern()
    {
        _timer?.Dispose();
        _timer = null;
        _pattern = null;
        _generation++;
    }

    private void Quiet()
    {
        try
        {
            _channel.DutyCycle = 0;
            if (_running)
            {
                _channel.Stop();
                _running = false;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            LogPwmFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The buzzer's PWM channel failed; the tone was dropped")]
    private partial void LogPwmFailed(Exception exception);
}
