using PassTrack.Contracts.Protocol;
using PassTrack.Kiosk.Hardware;
using PassTrack.Kiosk.Hardware.Simulated.Chips;

namespace PassTrack.Kiosk.Tests.Hardware.CardReader;

public sealed class Mfrc522Tests
{
    [Fact]
    public void Initialisation_switches_the_antenna_on_with_100_percent_ASK_and_the_CRC_A_preset()
    {
        using var bench = new ReaderBench();

        bench.Reader.Initialize();

        Assert.Equal(0x03, bench.Chip.Peek(Mfrc522Simulator.TxControlReg) & 0x03);
        Assert.Equal(0x40, bench.Chip.Peek(Mfrc522Simulator.TxAskReg));
        Assert.Equal(0x6363, bench.Chip.CrcPreset);
        Assert.Equal("MFRC522 v2.0", bench.Reader.ChipName);
        Assert.Equal(ReaderHealth.Ok, bench.Reader.Health);
    }

    [Fact]
    public void Initialisation_sets_a_hardware_timer_of_about_5_ms_started_by_each_transmission()
    {
        using var bench = new ReaderBench();

        bench.Reader.Initialize();

        Assert.True(bench.Chip.TimerStartsAfterTransmission);
        Assert.InRange(bench.Chip.TimerPeriod.TotalMilliseconds, 4.5, 5.5);
    }

    [Fact]
    public void Initialisation_waits_for_the_chip_to_leave_power_down_before_configuring_it()
    {
        using var bench = new ReaderBench();
        bench.Chip.StartUpTime = TimeSpan.FromMilliseconds(30);
        var start = bench.Time.GetUtcNow();

        bench.Reader.Initialize();

        Assert.True(bench.Time.GetUtcNow() - start >= TimeSpan.FromMilliseconds(30));
        Assert.Equal(0x40, bench.Chip.Peek(Mfrc522Simulator.TxAskReg));
        Assert.True(bench.Chip.AntennaOn);
    }

    [Fact]
    public void Initialisation_through_the_reset_pin_hard_resets_the_chip()
    {
        using var bench = new ReaderBench(withResetPin: true);

        bench.Reader.Initialize();

        Assert.Equal(1, bench.Chip.HardResets);
        Assert.True(bench.Chip.AntennaOn);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0xFF)]
    [InlineData(0x42)]
    public void An_unknown_version_means_no_MFRC522_is_answering(byte version)
    {
        using var bench = new ReaderBench();
        bench.Chip.Version = version;

        var error = Assert.Throws<CardReaderException>(bench.Reader.Initialize);

        Assert.Contains("No MFRC522 answering", error.Message, StringComparison.Ordinal);
        Assert.Equal(ReaderHealth.Failed, bench.Reader.Health);
        Assert.False(bench.Chip.AntennaOn);
    }

    [Theory]
    [InlineData(0x91)]
    [InlineData(0x88)]
    [InlineData(0x12)]
    public void Known_versions_and_clones_are_accepted(byte version)
    {
        using var bench = new ReaderBench();
        bench.Chip.Version = version;
        bench.Place("0A1B2C3D");

        Assert.Equal("0A1B2C3D", bench.Poll());
    }

    [Fact]
    public void An_empty_field_times_out_in_hardware_for_both_REQA_and_WUPA()
    {
        using var bench = new ReaderBench();
        bench.Reader.Initialize();
        var start = bench.Time.GetUtcNow();

        Assert.Null(bench.Poll());

        // Two hardware timeouts of ~5 ms (REQA, then WUPA), each noticed at the driver's next 2 ms look.
        var waited = bench.Time.GetUtcNow() - start;
        Assert.InRange(waited.TotalMilliseconds, 10.0, 16.0);
        Assert.Equal(ReaderHealth.Ok, bench.Reader.Health);
    }

    [Theory]
    [InlineData("04A1B2C3")]
    [InlineData("04A1B2C3D4E5F6")]
    [InlineData("04A1B2C3D4E5F60718AB")]
    [InlineData("88A1B2C3D4E5F6")]
    public void A_card_is_read_with_its_whole_UID_and_left_halted(string uid)
    {
        using var bench = new ReaderBench();
        var card = bench.Place(uid);

        Assert.Equal(uid, bench.Poll());

        Assert.Equal(CardState.Halt, card.State);
    }

    [Fact]
    public void A_card_held_on_the_reader_is_woken_read_and_halted_again_on_every_poll()
    {
        using var bench = new ReaderBench();
        var card = bench.Place("11223344");

        var seen = Enumerable.Range(0, 3).Select(_ => bench.Poll()).ToList();

        Assert.All(seen, uid => Assert.Equal("11223344", uid));
        Assert.Equal(3, card.TimesHalted);
        Assert.Equal(CardState.Halt, card.State);
    }

    [Fact]
    public void A_new_card_is_read_first_while_a_halted_one_stays_on_the_reader()
    {
        using var bench = new ReaderBench();
        var first = bench.Place("11223344");
        Assert.Equal("11223344", bench.Poll());

        var second = bench.Place("55667788");

        Assert.Equal("55667788", bench.Poll());
        Assert.Equal(CardState.Halt, first.State);
        Assert.Equal(CardState.Halt, second.State);
    }

    [Fact]
    public void A_UID_with_a_bad_BCC_is_rejected_and_the_card_never_selected()
    {
        using var bench = new ReaderBench();
        var card = bench.Place("0A1B2C3D");
        card.CorruptBcc = true;

        Assert.Null(bench.Poll());

        Assert.Equal(CardState.Ready, card.State);
        Assert.Equal(0, card.TimesHalted);
    }

    [Fact]
    public void A_SAK_with_a_bad_CRC_is_rejected()
    {
        using var bench = new ReaderBench();
        var card = bench.Place("0A1B2C3D");
        card.CorruptSakCrc = true;

        Assert.Null(bench.Poll());

        Assert.Equal(0, card.TimesHalted);
    }

    [Fact]
    public void Repeated_check_errors_make_the_reader_degraded_and_good_reads_make_it_well_again()
    {
        using var bench = new ReaderBench();
        var card = bench.Place("0A1B2C3D");
        card.CorruptBcc = true;

        for (var i = 0; i < 3; i++)
        {
            Assert.Null(bench.Poll());
        }
        Assert.Equal(ReaderHealth.Degraded, bench.Reader.Health);

        card.CorruptBcc = false;
        for (var i = 0; i < 16; i++)
        {
            Assert.Equal("0A1B2C3D", bench.Poll());
        }
        Assert.Equal(ReaderHealth.Ok, bench.Reader.Health);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void A_card_pulled_away_mid_read_gives_null_and_the_next_poll_reads_it_again(int answersBeforeLeaving)
    {
        using var bench = new ReaderBench();
        var card = new SimulatedCard("04A1B2C3D4E5F6");
        card.LeaveAfterAnswers(answersBeforeLeaving);
        bench.Chip.Place(card);

        Assert.Null(bench.Poll());
        Assert.False(card.InField);
        Assert.Equal(ReaderHealth.Ok, bench.Reader.Health);

        bench.Chip.Place(card);
        Assert.Equal("04A1B2C3D4E5F6", bench.Poll());
    }

    [Fact]
    public void Two_colliding_cards_are_both_read_one_per_poll()
    {
        using var bench = new ReaderBench();
        var a = bench.Place("86A083EE");
        var b = bench.Place("169A0A3B");

        var first = bench.Poll();
        Assert.NotNull(first);
        var firstCard = first == a.UidHex ? a : b;
        Assert.Equal(CardState.Halt, firstCard.State);

        var second = bench.Poll();

        Assert.Equal([b.UidHex, a.UidHex], new[] { first, second }.Order(StringComparer.Ordinal));
        Assert.Equal(CardState.Halt, a.State);
        Assert.Equal(CardState.Halt, b.State);
    }

    [Theory]
    [InlineData("01020304", "81020304", "81020305")]
    [InlineData("00AA0000", "08AA0000", "28AA0000")]
    [InlineData("04A1B2C3D4E5F6", "04A1B2C3D4E5F7", "2B3C4D5E")]
    public void Three_cards_differing_in_single_bits_are_each_read_once_in_three_polls(string one, string two, string three)
    {
        // Collided bits in later bytes and mid-byte (RxAlign) after an earlier collision at the same level.
        using var bench = new ReaderBench();
        string[] uids = [one, two, three];
        var cards = uids.Select(bench.Place).ToList();

        var read = Enumerable.Range(0, 3).Select(_ => bench.Poll()).ToList();

        Assert.Equal(uids.Order(StringComparer.Ordinal), read.Order(StringComparer.Ordinal));
        Assert.All(cards, card => Assert.Equal(CardState.Halt, card.State));
    }

    [Fact]
    public void Seven_byte_cards_alike_in_their_first_level_are_told_apart_at_the_second()
    {
        using var bench = new ReaderBench();
        bench.Place("04A1B211223344");
        bench.Place("04A1B211223345");

        var read = new[] { bench.Poll(), bench.Poll() };

        Assert.Equal(["04A1B211223344", "04A1B211223345"], read.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_ten_byte_and_a_four_byte_card_together_are_both_read()
    {
        using var bench = new ReaderBench();
        bench.Place("04A1B2C3D4E5F60718AB");
        bench.Place("2B3C4D5E");

        var read = new[] { bench.Poll(), bench.Poll() };

        Assert.Equal(["04A1B2C3D4E5F60718AB", "2B3C4D5E"], read.Order(StringComparer.Ordinal));
    }
}
