using System.Device.Spi;

namespace PassTrack.Kiosk.Hardware.CardReader;

/// <summary>How a frame sent over the air ended.</summary>
internal enum AirResult
{
    /// <summary>Something answered (possibly several cards at once: see <see cref="AirAnswer.CollisionAt"/>).</summary>
    Answered,

    /// <summary>Nothing answered before the chip's timer ran out.</summary>
    Silent,

    /// <summary>An answer arrived broken (parity, protocol, FIFO overflow, unplaceable collision).</summary>
    Garbled,
}

/// <param name="Data">The FIFO after reception; with RxAlign, the first byte's bits below it are not the card's.</param>
/// <param name="LastBits">Valid bits in the last byte, 0 when it is complete (ControlReg RxLastBits).</param>
/// <param name="CollisionAt">1-based position of the first collided bit in the received frame, RxAlign included; 0: none.</param>
internal readonly record struct AirAnswer(AirResult Result, byte[] Data, int LastBits, int CollisionAt)
{
    public static readonly AirAnswer Silent = new(AirResult.Silent, [], 0, 0);

    public static readonly AirAnswer Garbled = new(AirResult.Garbled, [], 0, 0);
}

/// <summary>
/// Register-level access to an MFRC522 over SPI: address byte bit 7 = read, bits 6..1 = register, bit 0 = 0.
/// A read sends one address byte per value wanted and a closing 0x00; a write sends one address byte and its data.
/// </summary>
internal sealed class Mfrc522Chip(SpiDevice spi, IHardwareDelay delay)
{
    /// <summary>Between two looks at an interrupt register: long enough to sleep rather than spin.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(2);

    /// <summary>The hardware timer ends a silent exchange after ~5 ms; well past that the chip itself has stopped.</summary>
    private const int MaxIrqPolls = 50;

    private const int MaxCrcPolls = 5;

    private const int FifoSize = 64;

    public byte Read(byte register)
    {
        Span<byte> tx = [(byte)(0x80 | (register << 1)), 0x00];
        Span<byte> rx = stackalloc byte[2];
        spi.TransferFullDuplex(tx, rx);
        return rx[1];
    }

    /// <summary>Several registers in one SPI transfer.</summary>
    public void Read(ReadOnlySpan<byte> registers, Span<byte> values)
    {
        Span<byte> tx = stackalloc byte[registers.Length + 1];
        Span<byte> rx = stackalloc byte[registers.Length + 1];
        for (var i = 0; i < registers.Length; i++)
        {
            tx[i] = (byte)(0x80 | (registers[i] << 1));
        }
        tx[^1] = 0x00;
        spi.TransferFullDuplex(tx, rx);
        rx[1..].CopyTo(values);
    }

    public void Write(byte register, byte value) => spi.Write([(byte)(register << 1), value]);

    public void SetBits(byte register, byte mask) => Write(register, (byte)(Read(register) | mask));

    public void ClearBits(byte register, byte mask) => Write(register, (byte)(Read(register) & ~mask));

    /// <summary>Empties the FIFO and fills it with <paramref name="data"/> in one transfer.</summary>
    public void LoadFifo(ReadOnlySpan<byte> data)
    {
        if (data.Length > FifoSize)
        {
            throw new ArgumentException($"A frame of {data.Length} bytes does not fit the 64-byte FIFO.", nameof(data));
        }
        Write(Reg.FifoLevel, Bits.FlushBuffer);
        Span<byte> tx = stackalloc byte[data.Length + 1];
        tx[0] = Reg.FifoData << 1;
        data.CopyTo(tx[1..]);
        spi.Write(tx);
    }

    public byte[] DrainFifo()
    {
        var count = Math.Min(Read(Reg.FifoLevel) & 0x7F, FifoSize);
        var data = new byte[count];
        if (count == 0)
        {
            return data;
        }
        Span<byte> registers = stackalloc byte[count];
        registers.Fill(Reg.FifoData);
        Read(registers, data);
        return data;
    }

    /// <summary>
    /// Sends a frame and waits for the answer. <paramref name="txLastBits"/> is how many bits of the last byte go out
    /// (0 = all 8); <paramref name="rxAlign"/> is where in the first received byte the answer's first bit lands.
    /// </summary>
    public AirAnswer Transceive(ReadOnlySpan<byte> frame, int txLastBits = 0, int rxAlign = 0)
    {
        var framing = (byte)((rxAlign << 4) | txLastBits);
        Write(Reg.Command, Cmd.Idle);
        Write(Reg.ComIrq, Bits.AllComIrqs);
        LoadFifo(frame);
        Write(Reg.BitFraming, framing);
        Write(Reg.Command, Cmd.Transceive);
        Write(Reg.BitFraming, (byte)(framing | Bits.StartSend));

        var irq = WaitForIrq(Bits.RxIrq | Bits.IdleIrq | Bits.TimerIrq, out var error);
        Write(Reg.BitFraming, framing);

        if ((error & (Bits.BufferOvfl | Bits.ParityErr | Bits.ProtocolErr)) != 0)
        {
            return AirAnswer.Garbled;
        }
        if ((irq & Bits.RxIrq) == 0)
        {
            return AirAnswer.Silent;
        }
        var lastBits = Read(Reg.Control) & Bits.RxLastBitsMask;
        var data = DrainFifo();
        var collisionAt = 0;
        if ((error & Bits.CollErr) != 0)
        {
            var coll = Read(Reg.Coll);
            if ((coll & Bits.CollPosNotValid) != 0)
            {
                return AirAnswer.Garbled;
            }
            // CollPos 0 stands for the 32nd bit.
            collisionAt = coll & Bits.CollPosMask;
            collisionAt = collisionAt == 0 ? 32 : collisionAt;
        }
        return new AirAnswer(AirResult.Answered, data, lastBits, collisionAt);
    }

    /// <summary>Sends a frame that gets no answer (HLTA): the Transmit command ends by itself.</summary>
    public void Transmit(ReadOnlySpan<byte> frame)
    {
        Write(Reg.Command, Cmd.Idle);
        Write(Reg.ComIrq, Bits.AllComIrqs);
        LoadFifo(frame);
        Write(Reg.BitFraming, 0x00);
        Write(Reg.Command, Cmd.Transmit);
        WaitForIrq(Bits.IdleIrq, out _);
    }

    /// <summary>CRC_A of <paramref name="data"/> from the chip's coprocessor (preset 0x6363), low byte first.</summary>
    public (byte Low, byte High) CrcA(ReadOnlySpan<byte> data)
    {
        Write(Reg.Command, Cmd.Idle);
        Write(Reg.DivIrq, Bits.CrcIrq);
        LoadFifo(data);
        Write(Reg.Command, Cmd.CalcCrc);
        for (var poll = 0; ; poll++)
        {
            if ((Read(Reg.DivIrq) & Bits.CrcIrq) != 0)
            {
                break;
            }
            if (poll == MaxCrcPolls)
            {
                throw new CardReaderException("MFRC522 stopped answering: its CRC coprocessor never finished.");
            }
            delay.Wait(PollInterval);
        }
        Write(Reg.Command, Cmd.Idle);
        Span<byte> result = stackalloc byte[2];
        Read([Reg.CrcResultLsb, Reg.CrcResultMsb], result);
        return (result[0], result[1]);
    }

    private byte WaitForIrq(byte done, out byte error)
    {
        for (var poll = 0; poll < MaxIrqPolls; poll++)
        {
            var irq = Read(Reg.ComIrq);
            error = (irq & Bits.ErrIrq) != 0 ? Read(Reg.Error) : (byte)0;
            // A collision is flagged while the frame is still arriving; any other error ends the exchange.
            if ((irq & done) != 0 || (error & ~Bits.CollErr) != 0)
            {
                return irq;
            }
            delay.Wait(PollInterval);
        }
        throw new CardReaderException("MFRC522 stopped answering: no interrupt, not even its timer, within 100 ms.");
    }
}
