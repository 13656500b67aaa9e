using System.Device.Gpio;
using Microsoft.Extensions.Time.Testing;
using PassTrack.Kiosk.Hardware.CardReader;
using PassTrack.Kiosk.Hardware.Simulated.Chips;

namespace PassTrack.Kiosk.Tests.Hardware.CardReader;

/// <summary>A driver wired to a simulated chip on a fake clock, optionally with the RST pin connected.</summary>
internal sealed class ReaderBench : IDisposable
{
    public const int ResetPin = 25;

    public ReaderBench(bool withResetPin = false)
    {
        Chip = new Mfrc522Simulator(Time);
        var gpio = withResetPin ? new GpioController(new SimulatedResetLine(Chip, ResetPin)) : null;
        Reader = new Mfrc522(Chip, new AdvancingDelay(Time), gpio, ResetPin);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 9, 1, 8, 0, 0, TimeSpan.Zero));

    public Mfrc522Simulator Chip { get; }

    public Mfrc522 Reader { get; }

    public SimulatedCard Place(string uidHex)
    {
        var card = new SimulatedCard(uidHex);
        Chip.Place(card);
        return card;
    }

    public string? Poll() => Reader.Poll()?.Hex;

    public void Dispose() => Reader.Dispose();
}
