using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PassTrack.Contracts;
using PassTrack.Contracts.Protocol;
using PassTrack.Kiosk.Flow;
using PassTrack.Kiosk.Hardware;
using PassTrack.Kiosk.Hardware.CardReader;
using PassTrack.Kiosk.Hardware.Display;
using PassTrack.Kiosk.Hardware.Simulated.Chips;
using PassTrack.Kiosk.Link;

namespace PassTrack.Benchmarks;

/// <summary>
/// Card in the field to the kiosk's beep and "One moment...", through the real stack: the MFRC522 driver polling a
/// register-level simulator of the chip every 10 ms, the tap detector, the flow, the durable outbox on this disk, and
/// the LCD driver writing to a simulated PCF8574/HD44780. Chip and bus time are simulated (the chip's timer, the data
/// sheets' waits, 100 kHz I2C at ~200 µs a one-byte transaction); the software's own time (outbox flush, flow, drivers)
/// is measured on this machine. A card arrives at a random moment; one caught mid-poll waits for the next poll.
/// </summary>
internal static class KioskFeedback
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan I2cTransaction = TimeSpan.FromMicroseconds(200);

    public static void Run(int samples)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 15, 0, 0, TimeSpan.Zero));
        var delay = new ClockDelay(time);
        var chip = new Mfrc522Simulator(time);
        using var reader = new Mfrc522(chip, delay);
        reader.Initialize();
        var bus = new Pcf8574Hd44780Simulator(time);
        using var lcd = new CharacterLcd(bus, new LcdOptions(), delay);
        var folder = Directory.CreateTempSubdirectory("passtrack-feedback-").FullName;
        using var outbox = new ScanOutbox(Path.Combine(folder, "outbox.db"));
        var link = new EdgeLink(new LinkOptions { KioskId = "kiosk-a101" }, outbox, time, NullLogger<EdgeLink>.Instance);
        var sounder = new TapListener();
        var flow = new KioskFlow(link, lcd, sounder, time, new FlowOptions { KioskId = "kiosk-a101" }, NullLogger<KioskFlow>.Instance);
        flow.Handle(new LinkChanged(true));
        flow.Handle(new CommandArrived(new KioskCommand(1, CommandType.Configure, time.GetUtcNow())
        {
            Configuration = new KioskConfiguration("A101", "Room A101", [new("water-a", "Water A", "Agua A")], Language.English, "Lincoln High School"),
        }));
        var taps = new CardTaps(time);
        var random = new Random(50);
        var total = new List<double>();
        var waiting = new List<double>();
        var software = new List<double>();
        var display = new List<double>();

        for (var i = 0; i < samples; i++)
        {
            var arrives = time.GetUtcNow() + (PollInterval * random.NextDouble() * 3);
            var card = new SimulatedCard($"04{i:X6}");
            var placed = false;
            while (true)
            {
                if (!placed && time.GetUtcNow() >= arrives)
                {
                    chip.Place(card);
                    placed = true;
                }
                if (taps.Poll(reader) is { } tap)
                {
                    var detected = time.GetUtcNow() - arrives;
                    var bytesBefore = bus.BytesWritten;
                    var fakeBefore = time.GetUtcNow();
                    var watch = Stopwatch.StartNew();
                    flow.Handle(new CardTapped(tap));
                    watch.Stop();
                    if (!sounder.Tapped || !flow.Showing[2].StartsWith("One moment", StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException("The tap did not give its feedback.");
                    }
                    var lcdTime = (time.GetUtcNow() - fakeBefore) + (I2cTransaction * (bus.BytesWritten - bytesBefore));
                    waiting.Add(detected.TotalMilliseconds);
                    software.Add(watch.Elapsed.TotalMilliseconds);
                    display.Add(lcdTime.TotalMilliseconds);
                    total.Add((detected + lcdTime + watch.Elapsed).TotalMilliseconds);
                    sounder.Tapped = false;
                    break;
                }
                time.Advance(PollInterval);
            }
            // The student takes the card away and the screen goes back to idle before the next one.
            chip.Remove(card);
            for (var t = 0; t < 4; t++)
            {
                time.Advance(TimeSpan.FromSeconds(3));
                taps.Poll(reader);
                flow.Handle(new Tick());
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"card in field to beep and \"One moment...\", {samples} taps, polling every {PollInterval.TotalMilliseconds} ms:"));
        Print("total", total);
        Print("  waiting for a poll and reading the card (simulated chip time)", waiting);
        Print("  outbox write, flow and drivers (this machine)", software);
        Print("  LCD rows rewritten (simulated waits and 100 kHz I2C)", display);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"outbox holds {outbox.Count} scans; LCD timing violations: {bus.Violations.Count}"));
        SqliteCleanup(folder);
    }

    private static void Print(string what, List<double> values)
    {
        values.Sort();
        double At(double p) => values[Math.Min(values.Count - 1, (int)(p * values.Count))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what,-64} p50 {At(0.5),6:F2}  p90 {At(0.9),6:F2}  p99 {At(0.99),6:F2}  max {values[^1],6:F2} ms"));
    }

    private static void SqliteCleanup(string folder)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    private sealed class ClockDelay(FakeTimeProvider time) : IHardwareDelay
    {
        public void Wait(TimeSpan duration) => time.Advance(duration);
    }

    private sealed class TapListener : ISounder
    {
        public bool Tapped { get; set; }

        public void Play(Tone tone) => Tapped |= tone == Tone.Tap;

        public void Silence()
        {
        }

        public void Dispose()
        {
        }
    }
}
