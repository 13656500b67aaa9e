using PassTrack.Contracts.Protocol;
using PassTrack.Kiosk.Hardware;

namespace PassTrack.Kiosk.Tests.Hardware.CardReader;

public sealed class Mfrc522FaultTests
{
    [Theory]
    [InlineData(0x00)]
    [InlineData(0xFF)]
    public void A_chip_that_stops_answering_fails_and_recovers_once_it_is_back(byte busValue)
    {
        using var bench = new ReaderBench();
        bench.Place("0A1B2C3D");
        Assert.Equal("0A1B2C3D", bench.Poll());

        bench.Chip.StuckBus = busValue;

        Assert.Throws<CardReaderException>(bench.Poll);
        Assert.Equal(ReaderHealth.Failed, bench.Reader.Health);
        Assert.Throws<CardReaderException>(bench.Poll);
        Assert.Throws<CardReaderException>(bench.Reader.Recover);
        Assert.Equal(ReaderHealth.Failed, bench.Reader.Health);

        bench.Chip.StuckBus = null;
        bench.Reader.Recover();

        Assert.Equal(ReaderHealth.Ok, bench.Reader.Health);
        Assert.True(bench.Chip.AntennaOn);
        Assert.Equal("0A1B2C3D", bench.Poll());
    }

    [Fact]
    public void A_chip_that_never_finishes_an_exchange_is_given_up_on_and_a_soft_reset_recovers_it()
    {
        using var bench = new ReaderBench();
        bench.Place("0A1B2C3D");
        bench.Reader.Initialize();
        bench.Chip.FreezeOnNextTransceive = true;
        var start = bench.Time.GetUtcNow();

        var error = Assert.Throws<CardReaderException>(bench.Poll);

        Assert.Contains("stopped answering", error.Message, StringComparison.Ordinal);
        Assert.InRange((bench.Time.GetUtcNow() - start).TotalMilliseconds, 25.0, 200.0);
        Assert.Equal(ReaderHealth.Failed, bench.Reader.Health);

        var resetsBefore = bench.Chip.SoftResets;
        bench.Reader.Recover();

        Assert.Equal(resetsBefore + 1, bench.Chip.SoftResets);
        Assert.Equal("0A1B2C3D", bench.Poll());
    }

    [Fact]
    public void A_latched_up_chip_is_recovered_through_its_reset_pin()
    {
        using var bench = new ReaderBench(withResetPin: true);
        bench.Place("0A1B2C3D");
        Assert.Equal("0A1B2C3D", bench.Poll());

        bench.Chip.LatchedUp = true;
        Assert.Throws<CardReaderException>(bench.Poll);

        bench.Reader.Recover();

        Assert.False(bench.Chip.LatchedUp);
        Assert.Equal(2, bench.Chip.HardResets);
        Assert.Equal(ReaderHealth.Ok, bench.Reader.Health);
        Assert.Equal("0A1B2C3D", bench.Poll());
    }

    [Fact]
    public void A_chip_that_reset_itself_is_reported_rather_than_left_blind()
    {
        using var bench = new ReaderBench();
        bench.Place("0A1B2C3D");
        bench.Reader.Initialize();

        // A brown-out: the chip comes back with its reset values, antenna off and no timer.
        bench.Chip.SetResetLine(high: false);
        bench.Chip.SetResetLine(high: true);
        bench.Time.Advance(TimeSpan.FromMilliseconds(10));

        Assert.Throws<CardReaderException>(bench.Poll);
        bench.Reader.Recover();
        Assert.Equal("0A1B2C3D", bench.Poll());
    }

    [Fact]
    public void Disposing_the_reader_switches_the_antenna_off()
    {
        var bench = new ReaderBench();
        bench.Reader.Initialize();

        bench.Dispose();

        Assert.False(bench.Chip.AntennaOn);
    }
}
