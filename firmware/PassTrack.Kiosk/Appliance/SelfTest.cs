using System.Device.Gpio;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using PassTrack.Kiosk.Hardware;
using PassTrack.Kiosk.Hardware.CardReader;
using PassTrack.Kiosk.Hardware.Display;
using PassTrack.Kiosk.Hardware.Keypad;
using PassTrack.Kiosk.Hardware.Simulated.Chips;
using PassTrack.Kiosk.Hardware.Sound;
using PassTrack.Kiosk.Link;

namespace PassTrack.Kiosk.Appliance;

/// <summary>
/// <c>passtrack-kiosk --self-test</c>: the kiosk's real drivers against the register-level chip simulators the tests
/// use, and the durable outbox on a temporary file. It proves that this build runs on this machine (the architecture,
/// the trimmed code paths, the native SQLite library) without touching the kiosk's devices or its queue.
/// </summary>
internal static class SelfTest
{
    public const string Passed = "SELF-TEST PASSED";
    public const string Failed = "SELF-TEST FAILED";

    /// <summary>The checks in the order they run; each prints one line starting with PASS or FAIL and its name.</summary>
    public static readonly IReadOnlyList<string> CheckNames = ["card reader", "display", "keypad", "sounder", "outbox"];

    private static readonly DateTimeOffset SimulationStart = new(2026, 9, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Runs every check, printing one line each and the verdict last; returns the process exit code.</summary>
    public static int Run(TextWriter output, TimeProvider wallClock)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(wallClock);
        var version = typeof(SelfTest).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        output.WriteLine($"passtrack-kiosk {version} self-test: {RuntimeInformation.RuntimeIdentifier}, {RuntimeInformation.ProcessArchitecture}, {RuntimeInformation.FrameworkDescription}");
        Func<string>[] checks = [CardReader, Display, Keypad, Sounder, () => Outbox(wallClock)];
        var failed = new List<string>();
        for (var i = 0; i < checks.Length; i++)
        {
            var started = wallClock.GetTimestamp();
            string verdict, detail;
            try
            {
                (verdict, detail) = ("PASS", checks[i]());
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Any failure of a driver, simulator or native library is the check's result, not a crash of the test.
                (verdict, detail) = ("FAIL", ex is SelfTestException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}");
                failed.Add(CheckNames[i]);
            }
            var took = wallClock.GetElapsedTime(started).TotalMilliseconds;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{verdict} {CheckNames[i],-12} {took,8:0.0} ms  {detail}"));
        }
        output.WriteLine(failed.Count == 0 ? Passed : $"{Failed}: {string.Join(", ", failed)}");
        return failed.Count == 0 ? 0 : 1;
    }

    /// <summary>VersionReg, then a 4-byte and a 7-byte UID through REQA, anticollision and SELECT with CRC_A.</summary>
    private static string CardReader()
    {
        var time = new FakeTimeProvider(SimulationStart);
        var chip = new Mfrc522Simulator(time);
        using var reader = new Mfrc522(chip, new AdvancingDelay(time));
        reader.Initialize();
        Expect(reader.ChipName == "MFRC522 v2.0", $"VersionReg read as {reader.ChipName ?? "nothing"}, expected MFRC522 v2.0");
        Expect(chip.AntennaOn, "the antenna is off after initialisation");
        var read = new List<string>();
        foreach (var uid in (string[])["5A3C9E12", "04A2B3C4D5E680"])
        {
            var card = new SimulatedCard(uid);
            chip.Place(card);
            var got = reader.Poll()?.Hex;
            Expect(got == uid, $"card {uid} read as {got ?? "no card"}");
            // Only a SELECT with a correct CRC_A at every cascade level makes the card active (or halted after).
            Expect(card.State is CardState.Active or CardState.Halt, $"card {uid} is {card.State} after the read");
            chip.Remove(card);
            read.Add($"{uid} ({uid.Length / 2} bytes)");
        }
        return $"{reader.ChipName}, read {string.Join(" and ", read)}";
    }

    /// <summary>HD44780 initialisation through the PCF8574, a full 20x4 screen with CGRAM glyphs, read back from DDRAM.</summary>
    private static string Display()
    {
        var time = new FakeTimeProvider(SimulationStart);
        using var bus = new Pcf8574Hd44780Simulator(time, SpanishGlyphs.Bitmaps);
        using var lcd = new CharacterLcd(bus, new LcdOptions(), new AdvancingDelay(time));
        string[] screen = ["PassTrack self-test ", "¿Baño? Sí, adelante ", "Niño: 5A3C9E12      ", "12345678901234567890"];
        lcd.Show(screen);
        Expect(bus.FourBitInterface && bus.TwoLines && bus.DisplayOn, "the HD44780 is not in 4-bit two-line mode with the display on");
        Expect(bus.Violations.Count == 0, $"timing: {string.Join("; ", bus.Violations)}");
        for (var row = 0; row < screen.Length; row++)
        {
            Expect(bus.RowText(row) == screen[row], $"row {row} shows \"{bus.RowText(row)}\", expected \"{screen[row]}\"");
        }
        return $"{bus.Columns}x{bus.Rows}, \"{screen[1].TrimEnd()}\" read back from DDRAM and CGRAM, {bus.BytesWritten} bytes over I2C";
    }

    /// <summary>A bouncing press of one key on the 4x4 matrix, scanned every 2 ms until the debounced press comes.</summary>
    private static string Keypad()
    {
        var time = new FakeTimeProvider(SimulationStart);
        var options = new KeypadOptions();
        var board = new SimulatedKeypadDriver(time, [.. options.Rows], [.. options.Columns], options.Layout);
        using var keypad = new MatrixKeypad(new GpioController(board), options, time);
        board.Keys.Press('5', bounce: TimeSpan.FromMilliseconds(5));
        var pressedAt = time.GetUtcNow();
        char? key = null;
        while (key is null && time.GetUtcNow() - pressedAt < TimeSpan.FromMilliseconds(200))
        {
            time.Advance(TimeSpan.FromMilliseconds(2));
            key = keypad.Poll();
        }
        Expect(key == '5', $"pressed 5, read {key?.ToString() ?? "nothing"}");
        Expect(board.Shorts == 0, "the scan shorted a driven row against another");
        return string.Create(CultureInfo.InvariantCulture, $"key 5 read after {(time.GetUtcNow() - pressedAt).TotalMilliseconds:0} ms (bouncing 5 ms)");
    }

    /// <summary>The granted tone on a simulated PWM channel: each note's frequency, duty cycle and length.</summary>
    private static string Sounder()
    {
        var time = new FakeTimeProvider(SimulationStart);
        var channel = new SimulatedPwmChannel(time);
        using var sounder = new PwmSounder(channel, time, volume: 0.5);
        var pattern = TonePatterns.For(Tone.Granted);
        sounder.Play(Tone.Granted);
        var first = pattern.Steps[0];
        Expect(channel.Running && channel.Frequency == first.Frequency && channel.DutyCycle == 0.5,
            string.Create(CultureInfo.InvariantCulture, $"first note at {channel.Frequency} Hz, duty {channel.DutyCycle:0.00}, running {channel.Running}; expected {first.Frequency} Hz, duty 0.50"));
        time.Run(TimeSpan.FromMilliseconds(pattern.Steps.Sum(s => s.DurationMs) + 50));
        var heard = channel.Heard();
        var expected = pattern.Steps.Where(s => !s.IsRest).ToList();
        Expect(heard.Count == expected.Count, $"heard {heard.Count} notes, expected {expected.Count}");
        for (var i = 0; i < expected.Count; i++)
        {
            Expect(heard[i].Frequency == expected[i].Frequency && heard[i].Duration == expected[i].Duration,
                string.Create(CultureInfo.InvariantCulture, $"note {i} was {heard[i].Frequency} Hz for {heard[i].Duration.TotalMilliseconds} ms, expected {expected[i].Frequency} Hz for {expected[i].DurationMs} ms"));
        }
        Expect(!channel.Audible, "the buzzer is still sounding after the tone");
        return string.Join(", ", heard.Select(n => string.Create(CultureInfo.InvariantCulture, $"{n.Frequency} Hz {n.Duration.TotalMilliseconds:0} ms"))) + ", duty 0.50, then off";
    }

    /// <summary>A scan written, the file closed and opened again, the scan read back: SQLite's native library works here.</summary>
    private static string Outbox(TimeProvider wallClock)
    {
        var folder = Directory.CreateTempSubdirectory("passtrack-self-test-");
        try
        {
            var path = Path.Combine(folder.FullName, "outbox.db");
            byte[] payload = [0x7B, 0x7D];
            QueuedRequest added;
            using (var outbox = new ScanOutbox(path))
            {
                added = outbox.Add(RequestKind.Scan, wallClock.GetUtcNow(), _ => payload);
            }
            using var reopened = new ScanOutbox(path);
            var pending = reopened.Pending();
            Expect(pending.Count == 1 && pending[0].ScanId == added.ScanId && pending[0].Payload.AsSpan().SequenceEqual(payload),
                $"read back {pending.Count} requests instead of scan {added.ScanId}");
            using var probe = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            probe.Open();
            using var command = probe.CreateCommand();
            command.CommandText = "PRAGMA journal_mode";
            var journal = command.ExecuteScalar() as string;
            Expect(journal == "wal", $"journal mode is {journal}, expected wal");
            return $"scan {added.ScanId} written and read back, journal {journal}, SQLite {probe.ServerVersion}";
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static void Expect(bool condition, string failure)
    {
        if (!condition)
        {
            throw new SelfTestException(failure);
        }
    }

    private sealed class SelfTestException(string message) : Exception(message);
}
