using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PassTrack.Contracts;
using PassTrack.Contracts.Passes;
using PassTrack.Contracts.Protocol;
using PassTrack.Kiosk.Flow;
using PassTrack.Kiosk.Hardware;

namespace PassTrack.Kiosk.Tests.Flow;

/// <summary>The student's side of the kiosk, step by step on a fake clock, against an edge that answers as told.</summary>
public sealed class KioskFlowTests : IDisposable
{
    private static readonly KioskConfiguration Room = new("A101", "Room A101",
        [new("restroom-a", "Restroom A", "Baño A"), new("water-a", "Water A", "Agua A"), new("nurse", "Nurse", "Enfermería"), new("office", "Office", "Oficina")],
        Language.English, "Lincoln High School");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 15, 5, 0, TimeSpan.Zero));
    private readonly ScriptedEdge _edge = new();
    private readonly RecordingDisplay _display = new();
    private readonly RecordingSounder _sounder = new();
    private readonly KioskFlow _flow;

    public KioskFlowTests()
    {
        _flow = new KioskFlow(_edge, _display, _sounder, _time, new FlowOptions { KioskId = "kiosk-a101" }, NullLogger<KioskFlow>.Instance);
        _flow.Handle(new LinkChanged(true));
        _flow.Handle(new CommandArrived(new KioskCommand(1, CommandType.Configure, _time.GetUtcNow()) { Configuration = Room }));
    }

    [Fact]
    public void The_idle_screen_shows_the_room_the_time_and_how_to_start()
    {
        Assert.Equal("Room A101", _display.Lines[0]);
        Assert.StartsWith("3:05 PM", _display.Lines[1], StringComparison.Ordinal);
        Assert.Equal("Tap your card", _display.Lines[2]);
    }

    [Fact]
    public void A_tap_beeps_and_says_one_moment_before_the_edge_answers_and_is_queued_as_a_card_scan()
    {
        _flow.Handle(new CardTapped(new CardUid("04A23B1C")));

        Assert.Equal(Tone.Tap, _sounder.Played[^1]);
        Assert.Equal(["Room A101", _display.Lines[1], "One moment...", "or type ID then #"], _display.Lines);
        var sent = Assert.Single(_edge.Sent);
        Assert.Equal((CredentialType.Card, "04A23B1C"), (sent.Kind, sent.Value));
    }

    [Fact]
    public void An_identified_student_gets_a_numbered_menu_and_a_key_sends_the_choice_for_that_scan()
    {
        _flow.Handle(new CardTapped(new CardUid("04A23B1C")));
        Answer(Identified("Ana", Language.English));

        Assert.Equal("Hi Ana: choose", _display.Lines[0]);
        Assert.Equal("1 Restroom A", _display.Lines[1]);
        Assert.Equal("3 Nurse", _display.Lines[3][..7]);

        _flow.Handle(new KeyPressed('2'));
        var choice = _edge.Sent[^1];
        Assert.Equal(("water-a", _edge.Sent[0].ScanId, false), (choice.Destination, choice.ForScan, choice.LeaveLine));

        Answer(new DecisionReply(1, choice.ScanId, Outcome.Granted, ReasonCode.Ok, ["Pass granted", "Water A", "5 minutes"], Language.English) { StudentId = "100042", PassId = "7" });
        Assert.Equal("Pass granted", _display.Lines[0]);
        Assert.Equal(Tone.Granted, _sounder.Played[^1]);

        _time.Advance(TimeSpan.FromSeconds(6));
        _flow.Handle(new Tick());
        Assert.Equal("Room A101", _display.Lines[0]);
    }

    [Fact]
    public void A_spanish_speaker_sees_the_menu_in_spanish_and_the_next_page_with_the_hash_key()
    {
        _flow.Handle(new CardTapped(new CardUid("04A23B1C")));
        Answer(Identified("Luis", Language.Spanish));

        Assert.Equal("Hola Luis: elige", _display.Lines[0]);
        Assert.Equal("1 Baño A", _display.Lines[1]);
        _flow.Handle(new KeyPressed('#'));
        Assert.Equal("4 Oficina", _display.Lines[1]);
        _flow.Handle(new KeyPressed('4'));
        Assert.Equal("office", _edge.Sent[^1].Destination);
    }

    [Fact]
    public void A_student_number_typed_on_the_keypad_is_sent_as_a_manual_scan()
    {
        foreach (var key in "1000*42#")
        {
            _flow.Handle(new KeyPressed(key));
        }

        var sent = Assert.Single(_edge.Sent);
        Assert.Equal((CredentialType.Manual, "10042"), (sent.Kind, sent.Value));
    }

    [Fact]
    public void Offline_a_student_who_left_from_here_is_told_the_return_is_recorded_and_the_tap_stays_queued()
    {
        _flow.Handle(new CardTapped(new CardUid("04A23B1C")));
        Answer(Identified("Ana", Language.English));
        _flow.Handle(new KeyPressed('1'));
        Answer(new DecisionReply(1, _edge.Sent[^1].ScanId, Outcome.Granted, ReasonCode.Ok, ["Pass granted"], Language.English) { StudentId = "100042", PassId = "7" });
        _time.Advance(TimeSpan.FromSeconds(6));
        _flow.Handle(new Tick());

        _flow.Handle(new LinkChanged(false));
        Assert.Equal("Offline-returns OK", _display.Lines[3]);
        _flow.Handle(new CardTapped(new CardUid("04A23B1C")));
        Answer(null);

        Assert.Equal("Return recorded", _display.Lines[0]);
        Assert.Empty(_edge.Withdrawn);

        // Someone the kiosk has not seen leave cannot get a pass without the edge.
        _time.Advance(TimeSpan.FromSeconds(6));
        _flow.Handle(new Tick());
        _flow.Handle(new CardTapped(new CardUid("0499AABB")));
        Answer(null);
        Assert.Equal(["Passes unavailable", "ask your teacher", "", ""], _display.Lines);
        Assert.Equal(Tone.Refused, _sounder.Played[^1]);
    }

    [Fact]
    public void A_choice_left_unanswered_is_withdrawn_so_no_pass_starts_behind_the_students_back()
    {
        _flow.Handle(new CardTapped(new CardUid("04A23B1C")));
        Answer(Identified("Ana", Language.English));
        _flow.Handle(new KeyPressed('1'));
        var choice = _edge.Sent[^1].ScanId;
        Answer(null);

        Assert.Equal([choice], _edge.Withdrawn);
        Assert.Equal("Passes unavailable", _display.Lines[0]);
    }

    [Fact]
    public void A_student_in_line_can_leave_it_with_the_star_key()
    {
        _flow.Handle(new CardTapped(new CardUid("04A23B1C")));
        var tap = _edge.Sent[^1].ScanId;
        Answer(new DecisionReply(1, tap, Outcome.Status, ReasonCode.Ok, ["You are 2nd in line", "Restroom A"], Language.English) { StudentId = "100042", PassId = "9", QueuePosition = 2 });
        Assert.Equal("* = leave the line", _display.Lines[3]);

        _flow.Handle(new KeyPressed('*'));
        var leave = _edge.Sent[^1];
        Assert.True(leave.LeaveLine);
        Assert.Equal(tap, leave.ForScan);
    }

    [Fact]
    public void A_summons_sounds_and_shows_until_the_student_taps_and_a_lockdown_takes_the_screen_until_cleared()
    {
        var summons = new SummonsAlert("5", "100042", "Ana", "Main Office", "Oficina", "Routine");
        _flow.Handle(new CommandArrived(new KioskCommand(1, CommandType.Summons, _time.GetUtcNow()) { Summons = summons }));
        Assert.Equal(Tone.Summons, _sounder.Played[^1]);
        Assert.Equal("Ana: please go", _display.Lines[0]);

        _flow.Handle(new CardTapped(new CardUid("04A23B1C")));
        Answer(new DecisionReply(1, _edge.Sent[^1].ScanId, Outcome.Granted, ReasonCode.SummonsAcknowledged, ["Go to", "Main Office"], Language.English) { StudentId = "100042", PassId = "11" });
        _time.Advance(TimeSpan.FromSeconds(6));
        _flow.Handle(new Tick());
        Assert.Equal("Room A101", _display.Lines[0]);

        _flow.Handle(new CommandArrived(new KioskCommand(1, CommandType.Lockdown, _time.GetUtcNow())));
        Assert.Equal("*** LOCKDOWN ***", _display.Lines[0]);
        _flow.Handle(new KeyPressed('1'));
        Assert.Empty(_edge.Sent.Skip(1));
        _flow.Handle(new CommandArrived(new KioskCommand(1, CommandType.Clear, _time.GetUtcNow())));
        Assert.Equal("Room A101", _display.Lines[0]);
        Assert.True(_sounder.Silenced);
    }

    [Fact]
    public void An_unapproved_kiosk_shows_the_setup_screen()
    {
        _flow.Handle(new CommandArrived(new KioskCommand(1, CommandType.Unapproved, _time.GetUtcNow())));

        Assert.Equal(["PassTrack kiosk", "kiosk-a101", "Waiting for approval", "See district IT"], _display.Lines);
    }

    [Fact]
    public void A_staff_badge_opens_the_staff_menu_and_a_confirmed_lockdown_is_sent_for_that_badges_scan()
    {
        _flow.Handle(new CardTapped(new CardUid("05AD0000000001")));
        var badge = _edge.Sent[^1].ScanId;
        Answer(Staff(StaffAction.Lockdown, StaffAction.Clear, StaffAction.EnrolCard));

        Assert.Equal(["Hello Dr. Okafor", "1 Lockdown", "2 Enrol a card", "* = exit"], _display.Lines);
        _flow.Handle(new KeyPressed('1'));
        Assert.Equal("Start a LOCKDOWN of", _display.Lines[0]);
        Assert.Single(_edge.Sent);

        _flow.Handle(new KeyPressed('#'));
        var sent = _edge.Sent[^1];
        Assert.Equal((StaffAction.Lockdown, badge), (sent.Action, sent.ForScan));
        Answer(new DecisionReply(1, sent.ScanId, Outcome.Accepted, ReasonCode.Ok, ["Done"], Language.English));
        _flow.Handle(new CommandArrived(new KioskCommand(1, CommandType.Lockdown, _time.GetUtcNow())));
        _time.Advance(TimeSpan.FromSeconds(6));
        _flow.Handle(new Tick());
        Assert.Equal("*** LOCKDOWN ***", _display.Lines[0]);

        // In the lockdown the same badge's key 1 ends it.
        _flow.Handle(new CardTapped(new CardUid("05AD0000000001")));
        Answer(Staff(StaffAction.Lockdown, StaffAction.Clear));
        Assert.Equal("1 End lockdown", _display.Lines[1]);
        _flow.Handle(new KeyPressed('1'));
        _flow.Handle(new KeyPressed('#'));
        Assert.Equal(StaffAction.Clear, _edge.Sent[^1].Action);
    }

    [Fact]
    public void A_teacher_enrols_a_card_by_typing_the_number_and_tapping_the_new_card()
    {
        _flow.Handle(new CardTapped(new CardUid("05000000000001")));
        var badge = _edge.Sent[^1].ScanId;
        Answer(Staff(StaffAction.EnrolCard));
        Assert.Equal("", _display.Lines[1]);

        foreach (var key in "21004*42#")
        {
            _flow.Handle(new KeyPressed(key));
        }
        Assert.Equal(["Student 10042", "Tap the new card", "now", "* = cancel"], _display.Lines);
        _flow.Handle(new CardTapped(new CardUid("0411223344556677")));

        var sent = _edge.Sent[^1];
        Assert.Equal(2, _edge.Sent.Count);
        Assert.Equal((StaffAction.EnrolCard, "10042", "0411223344556677", badge), (sent.Action, sent.StudentNumber, sent.Value, sent.ForScan));
        Answer(new DecisionReply(1, sent.ScanId, Outcome.Accepted, ReasonCode.CardEnrolled, ["Card enrolled to", "Ana García"], Language.English) { StudentId = "100442" });
        Assert.Equal(["Card enrolled to", "Ana García", "", ""], _display.Lines);
        Assert.Equal(Tone.Granted, _sounder.Played[^1]);
    }

    [Fact]
    public void A_staff_action_with_no_answer_is_withdrawn_and_the_screen_says_it_was_not_done()
    {
        _flow.Handle(new CardTapped(new CardUid("05AD0000000001")));
        Answer(Staff(StaffAction.Lockdown));
        _flow.Handle(new KeyPressed('1'));
        _flow.Handle(new KeyPressed('#'));
        var action = _edge.Sent[^1].ScanId;

        Answer(null);

        Assert.Equal([action], _edge.Withdrawn);
        Assert.Equal(["Not done: the", "server is offline.", "Emergencies: use", "phone or PA"], _display.Lines);

        // Offline, the kiosk remembers the badge: it says so rather than "passes unavailable".
        _time.Advance(TimeSpan.FromSeconds(6));
        _flow.Handle(new Tick());
        _flow.Handle(new CardTapped(new CardUid("05AD0000000001")));
        Answer(null);
        Assert.Equal("Not done: the", _display.Lines[0]);
    }

    [Fact]
    public void The_staff_menu_offers_only_what_the_badge_allows_and_star_leaves_it()
    {
        _flow.Handle(new CardTapped(new CardUid("05AD0000000003")));
        Answer(Staff());
        Assert.Equal("No staff actions", _display.Lines[1]);
        _flow.Handle(new KeyPressed('1'));
        _flow.Handle(new KeyPressed('2'));
        Assert.Single(_edge.Sent);

        _flow.Handle(new KeyPressed('*'));
        Assert.Equal("Room A101", _display.Lines[0]);
    }

    public void Dispose()
    {
        _display.Dispose();
        _sounder.Dispose();
    }

    private void Answer(DecisionReply? reply) => _flow.Handle(new Answered(_edge.Sent[^1].ScanId, reply is null ? null : reply with { ScanId = _edge.Sent[^1].ScanId }));

    private DecisionReply Staff(params StaffAction[] actions) =>
        new(1, _edge.Sent[^1].ScanId, Outcome.StaffIdentified, ReasonCode.Ok, ["Hello Dr. Okafor", "Staff actions"], Language.English) { StaffId = "s-principal", StaffActions = actions };

    private DecisionReply Identified(string name, Language language) =>
        new(1, _edge.Sent[^1].ScanId, Outcome.Identified, ReasonCode.Ok, [$"Hi {name}"], language) { StudentId = "100042", FirstName = name };

    private sealed record Request(string ScanId, CredentialType Kind, string Value, string? ForScan, string? Destination, bool LeaveLine)
    {
        public StaffAction? Action { get; init; }

        public string? StudentNumber { get; init; }
    }

    /// <summary>An edge whose answers the test gives by hand (<see cref="Answered"/> events): the flow's logic alone.</summary>
    private sealed class ScriptedEdge : IEdge
    {
        private int _next;

        public List<Request> Sent { get; } = [];

        public List<string> Withdrawn { get; } = [];

        public string Enqueue(CredentialType kind, string value, DateTimeOffset at)
        {
            var id = $"s-{++_next}";
            Sent.Add(new Request(id, kind, value, null, null, false));
            return id;
        }

        public string EnqueueChoice(string forScan, string? destinationId, DateTimeOffset at, bool leaveLine)
        {
            var id = $"s-{++_next}";
            Sent.Add(new Request(id, CredentialType.Manual, "", forScan, destinationId, leaveLine));
            return id;
        }

        public string EnqueueStaffAction(string forScan, StaffAction action, string? studentNumber, string? card, DateTimeOffset at)
        {
            var id = $"s-{++_next}";
            Sent.Add(new Request(id, CredentialType.Card, card ?? "", forScan, null, false) { Action = action, StudentNumber = studentNumber });
            return id;
        }

        public Task<DecisionReply?> AnswerAsync(string scanId, TimeSpan timeout, CancellationToken cancellationToken) =>
            new TaskCompletionSource<DecisionReply?>().Task;

        public void Withdraw(string scanId) => Withdrawn.Add(scanId);
    }

    private sealed class RecordingDisplay : ITextDisplay
    {
        public IReadOnlyList<string> Lines { get; private set; } = [];

        public int Columns => 20;

        public int Rows => 4;

        public bool Backlight { get; set; } = true;

        public void Show(IReadOnlyList<string> lines)
        {
            Assert.All(lines, l => Assert.True(l.Length <= 20, l));
            Lines = [.. lines];
        }

        public void Dispose()
        {
        }
    }

    private sealed class RecordingSounder : ISounder
    {
        public List<Tone> Played { get; } = [];

        public bool Silenced { get; private set; }

        public void Play(Tone tone)
        {
            Played.Add(tone);
            Silenced = false;
        }

        public void Silence() => Silenced = true;

        public void Dispose()
        {
        }
    }
}
