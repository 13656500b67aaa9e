using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PassTrack.Contracts;
using PassTrack.Contracts.Protocol;
using PassTrack.Kiosk.Appliance;
using PassTrack.Kiosk.Flow;
using PassTrack.Kiosk.Hardware;

namespace PassTrack.Kiosk.Tests.Appliance;

/// <summary>The scan loop between a reader that fails and recovers and the flow that tells the students.</summary>
public sealed class ScanLoopTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 15, 5, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_reader_that_stops_answering_is_reported_on_screen_and_in_telemetry_then_recovered()
    {
        var ct = TestContext.Current.CancellationToken;
        var reader = new FlakyReader();
        var display = new LatestScreen();
        var flow = new KioskFlow(new NoEdge(), display, new Quiet(), _time, new FlowOptions { KioskId = "kiosk-a101" }, NullLogger<KioskFlow>.Instance);
        var loop = new ScanLoop(reader, null, flow, _time, TimeSpan.FromMilliseconds(10), NullLogger<ScanLoop>.Instance);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var running = Task.WhenAll(flow.RunAsync(stop.Token), loop.RunAsync(stop.Token));
        flow.Post(new CommandArrived(new KioskCommand(1, CommandType.Configure, _time.GetUtcNow())
        {
            Configuration = new KioskConfiguration("A101", "Room A101", [], Language.English, "Lincoln High School"),
        }));
        await display.ShowsAsync(2, "Tap your card", ct);

        // One poll with the chip gone.
        reader.Broken = true;
        _time.Advance(TimeSpan.FromMilliseconds(10));
        await display.ShowsAsync(2, "Card reader error", ct);
        Assert.Equal(ReaderHealth.Failed, loop.Health);
        Assert.Equal("Type your ID then #", display.Row(3));

        // The chip is back; past the loop's pause before it tries again, it is reset and read once more.
        reader.Broken = false;
        _time.Advance(TimeSpan.FromSeconds(1));
        await display.ShowsAsync(2, "Tap your card", ct);
        Assert.Equal(ReaderHealth.Ok, loop.Health);
        Assert.True(reader.Recoveries >= 1);

        await stop.CancelAsync();
        await running;
    }

    private sealed class FlakyReader : ICardReader
    {
        public volatile bool Broken;

        public int Recoveries { get; private set; }

        public ReaderHealth Health => Broken ? ReaderHealth.Failed : ReaderHealth.Ok;

        public CardUid? Poll() => Broken ? throw new CardReaderException("MFRC522 stopped answering") : null;

        public void Recover()
        {
            Recoveries++;
            if (Broken)
            {
                throw new CardReaderException("still not answering");
            }
        }

        public void Dispose()
        {
        }
    }

    /// <summary>The latest screen, and a signal for the one a test waits for.</summary>
    private sealed class LatestScreen : ITextDisplay
    {
        private readonly Lock _gate = new();
        private readonly List<(int Row, string Text, TaskCompletionSource Shown)> _waiting = [];
        private string[] _lines = ["", "", "", ""];

        public int Columns => 20;

        public int Rows => 4;

        public bool Backlight { get; set; }

        public string Row(int i)
        {
            lock (_gate)
            {
                return _lines[i];
            }
        }

        public void Show(IReadOnlyList<string> lines)
        {
            lock (_gate)
            {
                _lines = [.. lines];
                foreach (var waiter in _waiting.Where(w => _lines[w.Row] == w.Text).ToList())
                {
                    waiter.Shown.TrySetResult();
                    _waiting.Remove(waiter);
                }
            }
        }

        public Task ShowsAsync(int row, string text, CancellationToken ct)
        {
            lock (_gate)
            {
                if (_lines[row] == text)
                {
                    return Task.CompletedTask;
                }
                var shown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting.Add((row, text, shown));
                return shown.Task.WaitAsync(TimeSpan.FromSeconds(15), ct);
            }
        }

        public void Dispose()
        {
        }
    }

    private sealed class Quiet : ISounder
    {
        public void Play(Tone tone)
        {
        }

        public void Silence()
        {
        }

        public void Dispose()
        {
        }
    }

    private sealed class NoEdge : IEdge
    {
        public string Enqueue(CredentialType kind, string value, DateTimeOffset at) => "s-1";

        public string EnqueueChoice(string forScan, string? destinationId, DateTimeOffset at, bool leaveLine) => "s-2";

        public string EnqueueStaffAction(string forScan, StaffAction action, string? studentNumber, string? card, DateTimeOffset at) => "s-3";

        public Task<DecisionReply?> AnswerAsync(string scanId, TimeSpan timeout, CancellationToken cancellationToken) => Task.FromResult<DecisionReply?>(null);

        public void Withdraw(string scanId)
        {
        }
    }
}
