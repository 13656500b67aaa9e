using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PassTrack.Contracts;
using PassTrack.Contracts.Passes;
using PassTrack.Contracts.Protocol;
using PassTrack.Kiosk.Hardware;
using PassTrack.Kiosk.Link;

namespace PassTrack.Kiosk.Flow;

/// <summary>Something that happened at the kiosk or on its link. The flow handles them one at a time, in order.</summary>
public abstract record KioskEvent;

public sealed record CardTapped(CardUid Card) : KioskEvent;

public sealed record CodeScanned(ScannedCode Code) : KioskEvent;

public sealed record KeyPressed(char Key) : KioskEvent;

public sealed record CommandArrived(KioskCommand Command) : KioskEvent;

public sealed record LinkChanged(bool Online) : KioskEvent;

public sealed record ReaderChanged(bool Ok) : KioskEvent;

/// <summary>The edge answered a request, or (null) did not in time.</summary>
public sealed record Answered(string ScanId, DecisionReply? Reply) : KioskEvent;

public sealed record Tick : KioskEvent;

/// <summary>How the flow reaches the edge: the <see cref="EdgeLink"/> in the kiosk, a fake edge in flow tests.</summary>
public interface IEdge
{
    string Enqueue(CredentialType kind, string value, DateTimeOffset at);

    string EnqueueChoice(string forScan, string? destinationId, DateTimeOffset at, bool leaveLine);

    string EnqueueStaffAction(string forScan, StaffAction action, string? studentNumber, string? card, DateTimeOffset at);

    Task<DecisionReply?> AnswerAsync(string scanId, TimeSpan timeout, CancellationToken cancellationToken);

    void Withdraw(string scanId);
}

/// <summary>
/// What the student sees and hears, as a state machine on one loop: idle, a tap's instant feedback, the menu, the
/// answer, back to idle; typed student numbers; summons alerts; emergency banners; a staff badge's menu (lockdown,
/// card enrolment); offline answers from what the kiosk itself knows. Time comes from the <see cref="TimeProvider"/>, so the whole flow runs on a fake clock in tests.
/// </summary>
public sealed partial class KioskFlow(
    IEdge edge,
    ITextDisplay display,
    ISounder sounder,
    TimeProvider time,
    FlowOptions options,
    ILogger<KioskFlow> logger)
{
    private readonly Channel<KioskEvent> _events = Channel.CreateUnbounded<KioskEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly OfflineMemory _memory = new(time);
    private readonly List<SummonsAlert> _summons = [];
    private State _state = new Setup();
    private KioskConfiguration? _configuration;
    private CommandType? _emergency;
    private bool _online;
    private bool _readerOk = true;
    private DateTimeOffset _until = DateTimeOffset.MaxValue;

    /// <summary>When the loop last handled something (the watchdog's view of the scan loop's health).</summary>
    public long LastTurnTimestamp { get; private set; }

    /// <summary>The lines on the display now (for the simulator and tests).</summary>
    public IReadOnlyList<string> Showing { get; private set; } = [];

    public string StateName => _state.GetType().Name;

    public void Post(KioskEvent e) => _events.Writer.TryWrite(e);

    public async Task RunAsync(CancellationToken stop)
    {
        Render();
        using var ticker = time.CreateTimer(_ => Post(new Tick()), null, options.TickInterval, options.TickInterval);
        try
        {
            await TurnAsync(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task TurnAsync(CancellationToken stop)
    {
        await foreach (var e in _events.Reader.ReadAllAsync(stop))
        {
            LastTurnTimestamp = time.GetTimestamp();
            try
            {
                Handle(e);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A bug in one event must not take the kiosk off the wall: show it, log it, carry on.
                FlowFailed(logger, ex, e.GetType().Name);
                Show(Screens.KioskError("restarting screen"));
                sounder.Play(Tone.Error);
                _state = new Idle();
                _until = time.GetUtcNow() + options.AnswerShownFor;
            }
        }
    }

    /// <summary>Handles one event; public so tests can drive the flow step by step.</summary>
    public void Handle(KioskEvent e)
    {
        switch (e)
        {
            case CardTapped tap when _state is EnrolTap enrol:
                // The new card is the enrolment's subject, not a scan of its own.
                sounder.Play(Tone.Tap);
                Act(enrol.Staff, StaffAction.EnrolCard, enrol.Number, tap.Card.Hex);
                break;
            case CardTapped tap:
                Present(CredentialType.Card, tap.Card.Hex);
                break;
            case CodeScanned code:
                Present(code.Code.Kind, code.Code.Value);
                break;
            case KeyPressed key:
                OnKey(key.Key);
                break;
            case Answered answer:
                OnAnswer(answer);
                break;
            case CommandArrived command:
                OnCommand(command.Command);
                break;
            case LinkChanged link:
                _online = link.Online;
                Render();
                break;
            case ReaderChanged reader:
                _readerOk = reader.Ok;
                Render();
                break;
            case Tick:
                if (time.GetUtcNow() >= _until)
                {
                    TimedOut();
                }
                else if (_state is Idle or Setup)
                {
                    Render();
                }
                break;
        }
    }

    private void Present(CredentialType kind, string value)
    {
        // Stored first (a flushed write of a few milliseconds), then the beep: a beep means the scan cannot be lost.
        var now = time.GetUtcNow();
        var scanId = edge.Enqueue(kind, value, now);
        sounder.Play(Tone.Tap);
        var language = _memory.LanguageOf(value) ?? Language.English;
        Show(Screens.OneMomentOver(Showing, language));
        _state = new Waiting(scanId, value, Choice: false);
        _until = now + options.AnswerTimeout + options.AnswerTimeout;
        Await(scanId);
    }

    private void Await(string scanId) => _ = AwaitAsync(scanId);

    private async Task AwaitAsync(string scanId)
    {
        DecisionReply? reply = null;
        try
        {
            reply = await edge.AnswerAsync(scanId, options.AnswerTimeout, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            AnswerFailed(logger, ex, scanId);
        }
        Post(new Answered(scanId, reply));
    }

    private void OnAnswer(Answered answer)
    {
        if (_state is not Waiting waiting || waiting.ScanId != answer.ScanId)
        {
            // An answer for a screen the student has left: the queue still learns of it through the link.
            return;
        }
        if (answer.Reply is not { } reply)
        {
            Unanswered(waiting);
            return;
        }
        if (reply.Error is not null && reply.Error != ProtocolErrors.Unavailable)
        {
            ShowAnswer(reply, Tone.Error, canLeaveLine: false);
            return;
        }
        _memory.Learn(waiting.Credential, reply);
        if (reply.Outcome == Outcome.StaffIdentified)
        {
            OpenStaffMenu(reply);
            return;
        }
        if (reply.Outcome == Outcome.Identified && _configuration is { Destinations.Count: > 0 } configuration)
        {
            _state = new Menu(reply, waiting.Credential, 0);
            Show(Screens.Menu(reply, configuration.Destinations, 0));
            _until = time.GetUtcNow() + options.MenuTimeout;
            return;
        }
        if (reply.Outcome == Outcome.Granted)
        {
            _summons.RemoveAll(s => s.StudentId == reply.StudentId);
        }
        var canLeave = reply.PassId is not null && reply.Outcome is Outcome.Status or Outcome.Queued or Outcome.PendingApproval;
        ShowAnswer(reply, ToneFor(reply), canLeave);
        if (canLeave)
        {
            _state = new Answer(reply, waiting.ScanId);
        }
    }

    /// <summary>No answer in time: the scan stays queued for the edge; the student hears what the kiosk knows.</summary>
    private void Unanswered(Waiting waiting)
    {
        var language = _memory.LanguageOf(waiting.Credential) ?? Language.English;
        if (waiting.Staff || _memory.IsStaff(waiting.Credential))
        {
            // Staff actions are never done later behind the staff member's back: a late lockdown would do harm.
            if (waiting.Staff)
            {
                edge.Withdraw(waiting.ScanId);
            }
            ShowLocal(Screens.StaffUnavailable(), Tone.Refused);
            return;
        }
        if (waiting.Choice)
        {
            // The student must not be sent anywhere by a choice made later behind their back.
            edge.Withdraw(waiting.ScanId);
            ShowLocal(Screens.PassesUnavailable(language), Tone.Refused);
            return;
        }
        if (_memory.IsOut(waiting.Credential))
        {
            // The queued tap ends the pass at its own time when the edge gets it.
            _memory.Returned(waiting.Credential);
            ShowLocal(Screens.ReturnRecorded(language), Tone.Granted);
            return;
        }
        ShowLocal(Screens.PassesUnavailable(language), Tone.Refused);
    }

    private void OnKey(char key)
    {
        switch (_state)
        {
            case Menu menu when key is >= '1' and <= '9' && _configuration is { } configuration:
                var index = key - '1';
                if (index < configuration.Destinations.Count)
                {
                    sounder.Play(Tone.KeyPress);
                    Choose(menu, configuration.Destinations[index].DestinationId);
                }
                break;
            case Menu menu when key == '#' && _configuration is { } configuration:
                var next = (menu.Page + 1) * Screens.MenuPageSize < Math.Min(configuration.Destinations.Count, 9) ? menu.Page + 1 : 0;
                _state = menu with { Page = next };
                Show(Screens.Menu(menu.Identified, configuration.Destinations, next));
                _until = time.GetUtcNow() + options.MenuTimeout;
                break;
            case Menu when key == '*':
                ToIdle();
                break;
            case Answer answer when key == '*':
                sounder.Play(Tone.KeyPress);
                var scanId = edge.EnqueueChoice(answer.ForScan, null, time.GetUtcNow(), leaveLine: true);
                _state = new Waiting(scanId, "", Choice: true);
                Show(Screens.OneMoment(answer.Reply.Language));
                _until = time.GetUtcNow() + options.AnswerTimeout + options.AnswerTimeout;
                Await(scanId);
                break;
            case Idle when char.IsAsciiDigit(key) && _emergency is null:
                sounder.Play(Tone.KeyPress);
                _state = new Typing(key.ToString());
                Show(Screens.ManualEntry(key.ToString()));
                _until = time.GetUtcNow() + options.TypingTimeout;
                break;
            case Typing typing:
                OnTyping(typing, key);
                break;
            case StaffMenu or ConfirmStaff or EnrolNumber or EnrolTap:
                OnStaffKey(key);
                break;
            default:
                break;
        }
    }

    private void OnTyping(Typing typing, char key)
    {
        sounder.Play(Tone.KeyPress);
        if (char.IsAsciiDigit(key) && typing.Digits.Length < 12)
        {
            _state = new Typing(typing.Digits + key);
        }
        else if (key == '*')
        {
            if (typing.Digits.Length <= 1)
            {
                ToIdle();
                return;
            }
            _state = new Typing(typing.Digits[..^1]);
        }
        else if (key == '#')
        {
            Present(CredentialType.Manual, typing.Digits);
            return;
        }
        Show(Screens.ManualEntry(((Typing)_state).Digits));
        _until = time.GetUtcNow() + options.TypingTimeout;
    }

    private void OpenStaffMenu(DecisionReply staff)
    {
        sounder.Play(Tone.Granted);
        _state = new StaffMenu(staff);
        Show(Screens.StaffMenu(staff, _emergency));
        _until = time.GetUtcNow() + options.MenuTimeout;
    }

    private void OnStaffKey(char key)
    {
        var now = time.GetUtcNow();
        switch (_state)
        {
            case StaffMenu menu when key == '1' && EmergencyActionFor(menu.Staff) is { } action:
                sounder.Play(Tone.KeyPress);
                _state = new ConfirmStaff(menu.Staff, action);
                Show(Screens.ConfirmStaffAction(action));
                _until = now + options.MenuTimeout;
                break;
            case StaffMenu menu when key == '2' && (menu.Staff.StaffActions ?? []).Contains(StaffAction.EnrolCard):
                sounder.Play(Tone.KeyPress);
                _state = new EnrolNumber(menu.Staff, "");
                Show(Screens.EnrolNumber(""));
                _until = now + options.TypingTimeout;
                break;
            case ConfirmStaff confirm when key == '#':
                sounder.Play(Tone.KeyPress);
                Act(confirm.Staff, confirm.Action, null, null);
                break;
            case EnrolNumber enrol when char.IsAsciiDigit(key) && enrol.Digits.Length < 12:
                sounder.Play(Tone.KeyPress);
                _state = enrol with { Digits = enrol.Digits + key };
                Show(Screens.EnrolNumber(enrol.Digits + key));
                _until = now + options.TypingTimeout;
                break;
            case EnrolNumber { Digits.Length: > 0 } enrol when key == '*':
                sounder.Play(Tone.KeyPress);
                _state = enrol with { Digits = enrol.Digits[..^1] };
                Show(Screens.EnrolNumber(enrol.Digits[..^1]));
                _until = now + options.TypingTimeout;
                break;
            case EnrolNumber { Digits.Length: > 0 } enrol when key == '#':
                sounder.Play(Tone.KeyPress);
                _state = new EnrolTap(enrol.Staff, enrol.Digits);
                Show(Screens.EnrolTap(enrol.Digits));
                _until = now + options.MenuTimeout;
                break;
            case not null when key == '*':
                ToIdle();
                break;
            default:
                break;
        }
    }

    /// <summary>What key 1 does for this staff member now: start a lockdown, or end the emergency in progress.</summary>
    private StaffAction? EmergencyActionFor(DecisionReply staff)
    {
        var action = _emergency is null ? StaffAction.Lockdown : StaffAction.Clear;
        return (staff.StaffActions ?? []).Contains(action) ? action : null;
    }

    private void Act(DecisionReply staff, StaffAction action, string? studentNumber, string? card)
    {
        var now = time.GetUtcNow();
        var scanId = edge.EnqueueStaffAction(staff.ScanId, action, studentNumber, card, now);
        _state = new Waiting(scanId, "", Choice: true) { Staff = true };
        Show(Screens.OneMoment(Language.English));
        _until = now + options.AnswerTimeout + options.AnswerTimeout;
        Await(scanId);
    }

    private void Choose(Menu menu, string destinationId)
    {
        var now = time.GetUtcNow();
        var scanId = edge.EnqueueChoice(menu.Identified.ScanId, destinationId, now, leaveLine: false);
        _state = new Waiting(scanId, menu.Credential, Choice: true);
        Show(Screens.OneMoment(menu.Identified.Language));
        _until = now + options.AnswerTimeout + options.AnswerTimeout;
        Await(scanId);
    }

    private void OnCommand(KioskCommand command)
    {
        switch (command.Type)
        {
            case CommandType.Configure when command.Configuration is { } configuration:
                _configuration = configuration;
                if (_state is Setup)
                {
                    _state = new Idle();
                }
                break;
            case CommandType.Unapproved:
                _configuration = null;
                _state = new Setup();
                break;
            case CommandType.Lockdown or CommandType.FireDrill:
                _emergency = command.Type;
                // Once, briefly: a kiosk must not keep sounding during a lockdown.
                sounder.Play(Tone.Lockdown);
                if (_state is not Waiting)
                {
                    _state = new Idle();
                }
                break;
            case CommandType.Clear:
                _emergency = null;
                sounder.Silence();
                break;
            case CommandType.Summons when command.Summons is { } summons:
                _summons.RemoveAll(s => s.SummonsId == summons.SummonsId);
                _summons.Add(summons);
                if (_emergency is null)
                {
                    sounder.Play(Tone.Summons);
                }
                break;
            case CommandType.SummonsClosed:
                _summons.RemoveAll(s => s.SummonsId == command.SummonsId);
                if (_summons.Count == 0)
                {
                    sounder.Silence();
                }
                break;
            default:
                break;
        }
        if (_state is Idle or Setup)
        {
            Render();
        }
    }

    private void TimedOut()
    {
        if (_state is Waiting waiting)
        {
            // The answer task posts its own result; this is the backstop if it never does.
            Unanswered(waiting);
            return;
        }
        ToIdle();
    }

    private void ShowAnswer(DecisionReply reply, Tone tone, bool canLeaveLine)
    {
        sounder.Play(tone);
        Show(Screens.Answer(reply, canLeaveLine));
        _state = new Idle();
        _until = time.GetUtcNow() + options.AnswerShownFor;
    }

    private void ShowLocal(string[] lines, Tone tone)
    {
        sounder.Play(tone);
        Show(lines);
        _state = new Idle();
        _until = time.GetUtcNow() + options.AnswerShownFor;
    }

    private void ToIdle()
    {
        _state = _configuration is null ? new Setup() : new Idle();
        _until = DateTimeOffset.MaxValue;
        Render();
        if (_summons.Count > 0 && _emergency is null)
        {
            sounder.Play(Tone.Summons);
        }
    }

    /// <summary>The resting screen for the state: emergency banner, summons, idle or setup.</summary>
    private void Render()
    {
        if (_until != DateTimeOffset.MaxValue)
        {
            return;
        }
        if (_configuration is null)
        {
            Show(Screens.Setup(options.KioskId, _online));
        }
        else if (_emergency is { } emergency)
        {
            Show(Screens.Emergency(emergency));
        }
        else if (_summons.Count > 0)
        {
            Show(Screens.Summons(_summons[0], _configuration.DefaultLanguage));
        }
        else
        {
            Show(Screens.Idle(_configuration.RoomName, time.GetLocalNow(), _online, _readerOk));
        }
    }

    private void Show(string[] lines)
    {
        Showing = lines;
        display.Show(lines);
    }

    private static Tone ToneFor(DecisionReply reply) => reply.Outcome switch
    {
        Outcome.Granted or Outcome.Returned or Outcome.Arrived or Outcome.Accepted => Tone.Granted,
        Outcome.Queued or Outcome.PendingApproval or Outcome.Status => Tone.Queued,
        _ => Tone.Refused,
    };

    private abstract record State;

    private sealed record Setup : State;

    private sealed record Idle : State;

    private sealed record Waiting(string ScanId, string Credential, bool Choice) : State
    {
        /// <summary>A staff action: withdrawn, never replayed, if it goes unanswered.</summary>
        public bool Staff { get; init; }
    }

    private sealed record Menu(DecisionReply Identified, string Credential, int Page) : State;

    private sealed record Answer(DecisionReply Reply, string ForScan) : State;

    private sealed record Typing(string Digits) : State;

    private sealed record StaffMenu(DecisionReply Staff) : State;

    private sealed record ConfirmStaff(DecisionReply Staff, StaffAction Action) : State;

    private sealed record EnrolNumber(DecisionReply Staff, string Digits) : State;

    private sealed record EnrolTap(DecisionReply Staff, string Number) : State;

    [LoggerMessage(1, LogLevel.Error, "The kiosk flow failed handling {Event}")]
    private static partial void FlowFailed(ILogger logger, Exception exception, string @event);

    [LoggerMessage(2, LogLevel.Warning, "Waiting for the answer to {ScanId} failed")]
    private static partial void AnswerFailed(ILogger logger, Exception exception, string scanId);
}

public sealed class FlowOptions
{
    public string KioskId { get; set; } = "";

    /// <summary>How long the student waits for the edge before the kiosk answers from what it knows.</summary>
    public TimeSpan AnswerTimeout { get; set; } = TimeSpan.FromSeconds(2.5);

    public TimeSpan AnswerShownFor { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MenuTimeout { get; set; } = TimeSpan.FromSeconds(20);

    public TimeSpan TypingTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan TickInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}
