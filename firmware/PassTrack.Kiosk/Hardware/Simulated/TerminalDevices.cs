using System.Text;
using PassTrack.Contracts.Protocol;
using PassTrack.Kiosk.Flow;

namespace PassTrack.Kiosk.Hardware.Simulated;

/// <summary>
/// The kiosk's devices in a terminal, for development and demos: the LCD drawn as a 20x4 box, sounds named on a
/// status line, a card reader whose field holds whatever card the keyboard put there, and the keyboard as keypad.
/// </summary>
public sealed class TerminalDevices : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TextWriter _out;
    private readonly bool _ansi;
    private string[] _lines = ["", "", "", ""];
    private string _status = "";

    private readonly TimeProvider _time;

    public TerminalDevices(TextWriter output, bool ansi, TimeProvider time)
    {
        _time = time;
        _out = output;
        _ansi = ansi;
        Display = new TerminalDisplay(this);
        Sounder = new TerminalSounder(this);
        Reader = new SimulatedReader();
    }

    public ITextDisplay Display { get; }

    public ISounder Sounder { get; }

    public SimulatedReader Reader { get; }

    private void Draw(string[]? lines = null, string? status = null)
    {
        lock (_gate)
        {
            if ((lines is null || lines.SequenceEqual(_lines)) && (status is null || status == _status))
            {
                return;
            }
            _lines = lines ?? _lines;
            _status = status ?? _status;
            var frame = new StringBuilder();
            if (_ansi)
            {
                frame.Append("\u001b[H\u001b[2J");
            }
            frame.Append('+').Append('-', 20).Append("+\n");
            foreach (var line in _lines)
            {
                frame.Append('|').Append(line.PadRight(20)[..20]).Append("|\n");
            }
            frame.Append('+').Append('-', 20).Append("+\n");
            frame.Append(_status).Append('\n');
            if (_ansi)
            {
                frame.Append("keys: 0-9 * # A-D keypad | t tap card | [ ] choose card | h hold/remove | q quit\n");
            }
            _out.Write(frame.ToString());
            _out.Flush();
        }
    }

    public void Status(string status) => Draw(status: status);

    /// <summary>The cards the keyboard can tap, in order (<c>[</c> and <c>]</c> choose, <c>t</c> taps).</summary>
    public IReadOnlyList<CardUid> Cards { get; set; } = [new("04A23B1C5D6E80")];

    private int _card;

    /// <summary>
    /// Starts taking input for <paramref name="flow"/>: keys from the terminal, or, when input is redirected, one
    /// command per line (<c>tap UID</c>, <c>hold UID</c>, <c>remove</c>, <c>keys 1234#</c>, <c>quit</c>) for scripts.
    /// </summary>
    public void Attach(KioskFlow flow, Action quit)
    {
        var thread = new Thread(() =>
        {
            if (Console.IsInputRedirected)
            {
                while (Console.In.ReadLine() is { } line)
                {
                    if (!Command(flow, line.Trim()))
                    {
                        break;
                    }
                }
            }
            else
            {
                while (Key(flow, Console.ReadKey(intercept: true).KeyChar))
                {
                }
            }
            quit();
        })
        { IsBackground = true, Name = "terminal input" };
        thread.Start();
    }

    private bool Key(KioskFlow flow, char key)
    {
        switch (key)
        {
            case 'q':
                return false;
            case 't':
                Tap(Cards[_card]);
                break;
            case 'h':
                Reader.Place(Reader.InField is null ? Cards[_card] : null);
                Status(Reader.InField is { } held ? $"card {held} held on the reader" : "card removed");
                break;
            case '[' or ']':
                _card = (_card + (key == ']' ? 1 : Cards.Count - 1)) % Cards.Count;
                Status($"card {_card + 1}/{Cards.Count}: {Cards[_card]}");
                break;
            case >= '0' and <= '9' or '*' or '#' or >= 'A' and <= 'D':
                flow.Post(new KeyPressed(key));
                break;
            default:
                break;
        }
        return true;
    }

    private bool Command(KioskFlow flow, string line)
    {
        var parts = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        switch (parts)
        {
            case ["quit"]:
                return false;
            case ["tap", var uid]:
                Tap(new CardUid(uid.ToUpperInvariant()));
                break;
            case ["hold", var uid]:
                Reader.Place(new CardUid(uid.ToUpperInvariant()));
                break;
            case ["remove"]:
                Reader.Place(null);
                break;
            case ["keys", var keys]:
                foreach (var key in keys)
                {
                    flow.Post(new KeyPressed(key));
                }
                break;
            default:
                Status($"unknown command: {line}");
                break;
        }
        return true;
    }

    /// <summary>A card in the field for a moment, as a hand tapping it: long enough for several polls.</summary>
    private void Tap(CardUid card)
    {
        Reader.Place(card);
        _ = Task.Delay(TimeSpan.FromMilliseconds(300), _time).ContinueWith(_ => Reader.Take(card), TaskScheduler.Default);
    }

    public void Dispose()
    {
    }

    private sealed class TerminalDisplay(TerminalDevices terminal) : ITextDisplay
    {
        public int Columns => 20;

        public int Rows => 4;

        public bool Backlight { get; set; } = true;

        public void Show(IReadOnlyList<string> lines) => terminal.Draw(lines: [.. Enumerable.Range(0, 4).Select(i => i < lines.Count ? lines[i] : "")]);

        public void Dispose()
        {
        }
    }

    private sealed class TerminalSounder(TerminalDevices terminal) : ISounder
    {
        private int _played;

        // Numbered, so a script reading the output can tell one beep from the next.
        public void Play(Tone tone) => terminal.Draw(status: $"sound #{Interlocked.Increment(ref _played)}: {tone}");

        public void Silence() => terminal.Draw(status: "sound: (silent)");

        public void Dispose()
        {
        }
    }
}

/// <summary>A reader whose field holds whatever card the simulation puts there.</summary>
public sealed class SimulatedReader : ICardReader
{
    private string? _inField;

    public ReaderHealth Health => ReaderHealth.Ok;

    /// <summary>Puts a card in the field (null takes it away).</summary>
    public void Place(CardUid? card) => Volatile.Write(ref _inField, card?.Hex);

    /// <summary>Takes this card away, if it is still the one in the field (a later tap may have replaced it).</summary>
    public void Take(CardUid card) => Interlocked.CompareExchange(ref _inField, null, card.Hex);

    public CardUid? InField => Volatile.Read(ref _inField) is { } hex ? new CardUid(hex) : null;

    public CardUid? Poll() => InField;

    public void Recover()
    {
    }

    public void Dispose()
    {
    }
}
