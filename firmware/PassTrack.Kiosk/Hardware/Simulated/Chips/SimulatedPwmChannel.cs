using System.Device.Pwm;

namespace PassTrack.Kiosk.Hardware.Simulated.Chips;

/// <summary>What the PWM pin was doing from a moment on.</summary>
internal readonly record struct PwmState(TimeSpan At, int Frequency, double DutyCycle, bool Running)
{
    public bool Audible => Running && DutyCycle > 0 && Frequency > 0;
}

/// <summary>A note the speaker actually produced: when it started (from the channel's creation), its pitch and length.</summary>
internal readonly record struct HeardNote(TimeSpan Start, int Frequency, TimeSpan Duration);

/// <summary>A PWM channel wired to an imaginary speaker: it keeps the pin's state over time, as a scope would.</summary>
internal sealed class SimulatedPwmChannel : PwmChannel
{
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _origin;
    private readonly List<PwmState> _history = [];
    private int _frequency = 400;
    private double _dutyCycle;
    private bool _running;

    public SimulatedPwmChannel(TimeProvider time)
    {
        _time = time;
        _origin = time.GetUtcNow();
        Record();
    }

    public bool Disposed { get; private set; }

    /// <summary>When set, every write to the channel fails as a missing sysfs node would.</summary>
    public bool Broken { get; set; }

    public bool Running => _running;

    public override int Frequency
    {
        get => _frequency;
        set
        {
            Fail();
            _frequency = value;
            Record();
        }
    }

    public override double DutyCycle
    {
        get => _dutyCycle;
        set
        {
            Fail();
            _dutyCycle = value;
            Record();
        }
    }

    public bool Audible => _running && _dutyCycle > 0 && _frequency > 0;

    public override void Start()
    {
        Fail();
        _running = true;
        Record();
    }

    public override void Stop()
    {
        Fail();
        _running = false;
        Record();
    }

    /// <summary>The notes heard so far; one still sounding ends now.</summary>
    public IReadOnlyList<HeardNote> Heard()
    {
        var notes = new List<HeardNote>();
        var now = _time.GetUtcNow() - _origin;
        for (var i = 0; i < _history.Count; i++)
        {
            var state = _history[i];
            if (!state.Audible)
            {
                continue;
            }

            var end = i + 1 < _history.Count ? _history[i + 1].At : now;
            if (end <= state.At)
            {
                continue;
            }

            if (notes.Count > 0 && notes[^1].Frequency == state.Frequency && notes[^1].Start + notes[^1].Duration == state.At)
            {
                notes[^1] = notes[^1] with { Duration = end - notes[^1].Start };
            }
            else
            {
                notes.Add(new HeardNote(state.At, state.Frequency, end - state.At));
            }
        }

        return notes;
    }

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }

    private void Fail()
    {
        if (Broken)
        {
            throw new IOException("pwm0 is gone");
        }
    }

    private void Record() => _history.Add(new PwmState(_time.GetUtcNow() - _origin, _frequency, _dutyCycle, _running));
}
