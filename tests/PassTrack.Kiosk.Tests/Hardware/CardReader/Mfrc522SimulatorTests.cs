using Microsoft.Extensions.Time.Testing;
using PassTrack.Kiosk.Hardware.Simulated.Chips;

namespace PassTrack.Kiosk.Tests.Hardware.CardReader;

/// <summary>The simulator is the oracle for the driver's tests, so its own behaviour is checked against known values.</summary>
public sealed class Mfrc522SimulatorTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void CRC_A_of_HLTA_is_57_CD_as_in_ISO_14443_3()
    {
        Assert.Equal([0x50, 0x00, 0x57, 0xCD], CrcA.Append(0x50, 0x00));
    }

    [Fact]
    public void The_CRC_coprocessor_computes_CRC_A_into_CRCResultReg_over_SPI()
    {
        var chip = AwakeChip();
        WriteRegister(chip, Mfrc522Simulator.ModeReg, 0x3D);
        chip.Write([Mfrc522Simulator.FifoDataReg << 1, 0x50, 0x00]);

        WriteRegister(chip, Mfrc522Simulator.CommandReg, 0x03);

        Assert.Equal(0x04, ReadRegister(chip, Mfrc522Simulator.DivIrqReg) & 0x04);
        Assert.Equal(0xCD, ReadRegister(chip, Mfrc522Simulator.CrcResultMsbReg));
        Assert.Equal(0x57, ReadRegister(chip, Mfrc522Simulator.CrcResultLsbReg));
    }

    [Fact]
    public void A_multi_address_read_returns_each_register_one_byte_later()
    {
        var chip = AwakeChip();
        var rx = new byte[4];

        chip.TransferFullDuplex([0x80 | (Mfrc522Simulator.VersionReg << 1), 0x80 | (Mfrc522Simulator.ModeReg << 1), 0x80 | (Mfrc522Simulator.TxControlReg << 1), 0x00], rx);

        Assert.Equal([0x00, 0x92, 0x3F, 0x80], rx);
    }

    [Fact]
    public void A_soft_reset_restores_the_reset_values_and_holds_PowerDown_while_waking()
    {
        var chip = AwakeChip();
        WriteRegister(chip, Mfrc522Simulator.TxAskReg, 0x40);

        WriteRegister(chip, Mfrc522Simulator.CommandReg, 0x0F);

        Assert.Equal(0x10, ReadRegister(chip, Mfrc522Simulator.CommandReg) & 0x10);
        _time.Advance(chip.StartUpTime);
        Assert.Equal(0x20, ReadRegister(chip, Mfrc522Simulator.CommandReg));
        Assert.Equal(0x00, ReadRegister(chip, Mfrc522Simulator.TxAskReg));
    }

    [Fact]
    public void A_card_refuses_a_SELECT_with_a_bad_CRC_and_falls_back_to_IDLE()
    {
        var card = PoweredCard("0A1B2C3D");
        Assert.NotNull(card.Hear(AirBits.FromBytes([0x26], 7)));
        var uidCl = card.UidCl(0);
        var select = CrcA.Append([0x93, 0x70, .. uidCl]);
        select[^1] ^= 0xFF;

        Assert.Null(card.Hear(AirBits.FromBytes(select)));
        Assert.Equal(CardState.Idle, card.State);
    }

    [Fact]
    public void A_halted_card_ignores_REQA_and_answers_WUPA()
    {
        var card = PoweredCard("0A1B2C3D");
        card.Hear(AirBits.FromBytes([0x26], 7));
        card.Hear(AirBits.FromBytes(CrcA.Append([0x93, 0x70, .. card.UidCl(0)])));
        card.Hear(AirBits.FromBytes(CrcA.Append(0x50, 0x00)));
        Assert.Equal(CardState.Halt, card.State);

        Assert.Null(card.Hear(AirBits.FromBytes([0x26], 7)));
        Assert.Equal(AirBits.FromBytes(0x04, 0x00), card.Hear(AirBits.FromBytes([0x52], 7)));
        Assert.Equal(CardState.Ready, card.State);
    }

    [Fact]
    public void Two_cards_answering_anticollision_collide_at_the_first_differing_bit()
    {
        // UID0 0x86 = 1000 0110 and 0x16 = 0001 0110 differ first in bit 5 (LSB first): CollPos 5, as NXP's forum shows.
        var chip = AwakeChip();
        WriteRegister(chip, Mfrc522Simulator.TxAskReg, 0x40);
        WriteRegister(chip, Mfrc522Simulator.TxControlReg, 0x83);
        WriteRegister(chip, Mfrc522Simulator.CollReg, 0x00);
        chip.Place(new SimulatedCard("86A083EE"));
        chip.Place(new SimulatedCard("169A0A3B"));
        Transceive(chip, [0x26], txLastBits: 7);

        Transceive(chip, [0x93, 0x20], txLastBits: 0);

        Assert.Equal(0x08, ReadRegister(chip, Mfrc522Simulator.ErrorReg) & 0x08);
        Assert.Equal(5, ReadRegister(chip, Mfrc522Simulator.CollReg) & 0x3F);
        Assert.Equal(0x20, ReadRegister(chip, Mfrc522Simulator.ComIrqReg) & 0x20);
    }

    [Fact]
    public void With_no_card_the_timer_raises_TimerIRq_only_after_its_period()
    {
        var chip = AwakeChip();
        WriteRegister(chip, Mfrc522Simulator.TModeReg, 0x80);
        WriteRegister(chip, Mfrc522Simulator.TPrescalerReg, 0xA9);
        WriteRegister(chip, Mfrc522Simulator.TReloadHighReg, 0x03);
        WriteRegister(chip, Mfrc522Simulator.TReloadLowReg, 0xE8);
        Transceive(chip, [0x26], txLastBits: 7);

        Assert.Equal(0, ReadRegister(chip, Mfrc522Simulator.ComIrqReg) & 0x01);
        _time.Advance(TimeSpan.FromMilliseconds(25.1));
        Assert.Equal(0x01, ReadRegister(chip, Mfrc522Simulator.ComIrqReg) & 0x01);
    }

    private Mfrc522Simulator AwakeChip()
    {
        var chip = new Mfrc522Simulator(_time);
        _time.Advance(chip.StartUpTime);
        return chip;
    }

    private SimulatedCard PoweredCard(string uid)
    {
        var chip = AwakeChip();
        WriteRegister(chip, Mfrc522Simulator.TxControlReg, 0x83);
        var card = new SimulatedCard(uid);
        chip.Place(card);
        return card;
    }

    private static void Transceive(Mfrc522Simulator chip, byte[] frame, int txLastBits)
    {
        WriteRegister(chip, Mfrc522Simulator.ComIrqReg, 0x7F);
        WriteRegister(chip, Mfrc522Simulator.FifoLevelReg, 0x80);
        chip.Write([Mfrc522Simulator.FifoDataReg << 1, .. frame]);
        WriteRegister(chip, Mfrc522Simulator.CommandReg, 0x0C);
        WriteRegister(chip, Mfrc522Simulator.BitFramingReg, (byte)(0x80 | txLastBits));
    }

    private static void WriteRegister(Mfrc522Simulator chip, byte register, byte value) => chip.Write([(byte)(register << 1), value]);

    private static byte ReadRegister(Mfrc522Simulator chip, byte register)
    {
        var rx = new byte[2];
        chip.TransferFullDuplex([(byte)(0x80 | (register << 1)), 0x00], rx);
        return rx[1];
    }
}
