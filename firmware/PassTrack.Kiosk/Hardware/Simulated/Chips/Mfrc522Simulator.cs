using System.Device.Spi;
using Microsoft.Extensions.Time.Testing;

namespace PassTrack.Kiosk.Hardware.Simulated.Chips;

/// <summary>
/// An NXP MFRC522 behind its SPI interface, modelled from the data sheet: the address byte (bit 7 read, bits 6..1
/// register, bit 0 zero), reads as a run of address bytes closed by 0x00, writes as one address byte and its data
/// (repeated writes to FIFODataReg fill the FIFO); the registers with their reset values, the 64-byte FIFO, the
/// commands Idle, Mem, CalcCRC, Transmit, Transceive (with StartSend) and SoftReset, the interrupt, error and
/// collision registers, and the timer on a fake clock. Cards in its field answer what it transmits.
/// Transmit/receive CRC (TxModeReg/RxModeReg CRCEn) and the IRQ pin are not modelled.
/// </summary>
public sealed partial class Mfrc522Simulator(FakeTimeProvider time) : SpiDevice
{
    public const byte CommandReg = 0x01, ComIrqReg = 0x04, DivIrqReg = 0x05, ErrorReg = 0x06, Status1Reg = 0x07;
    public const byte FifoDataReg = 0x09, FifoLevelReg = 0x0A, ControlReg = 0x0C, BitFramingReg = 0x0D, CollReg = 0x0E;
    public const byte ModeReg = 0x11, TxControlReg = 0x14, TxAskReg = 0x15, DemodReg = 0x19;
    public const byte CrcResultMsbReg = 0x21, CrcResultLsbReg = 0x22;
    public const byte TModeReg = 0x2A, TPrescalerReg = 0x2B, TReloadHighReg = 0x2C, TReloadLowReg = 0x2D, VersionReg = 0x37;

    private const byte Idle = 0x0, Mem = 0x1, CalcCrc = 0x3, Transmit = 0x4, NoCmdChange = 0x7, Transceive = 0xC, SoftReset = 0xF;
    private const byte TxIrq = 0x40, RxIrq = 0x20, IdleIrq = 0x10, LoAlertIrq = 0x04, ErrIrq = 0x02, TimerIrq = 0x01;
    private const byte CrcIrq = 0x04, CollErr = 0x08, BufferOvfl = 0x10, PowerDownBit = 0x10;
    private const int FifoSize = 64;

    private readonly byte[] _registers = ResetValues();
    private readonly Queue<byte> _fifo = new();
    private readonly List<SimulatedCard> _cards = [];
    private byte[] _memBuffer = new byte[25];
    private ushort _crc;
    private DateTimeOffset _awakeAt = time.GetUtcNow();
    private DateTimeOffset? _timerEndsAt;
    private bool _frozen;
    private bool _resetLineLow;

    public override SpiConnectionSettings ConnectionSettings { get; } = new(0, 0) { Mode = SpiMode.Mode0, ClockFrequency = 5_000_000 };

    /// <summary>What VersionReg reads: 0x92 for v2.0, 0x91 for v1.0; clones differ.</summary>
    public byte Version { get; set; } = 0x92;

    /// <summary>How long after a reset CommandReg's PowerDown bit stays set and writes are lost (oscillator start-up).</summary>
    public TimeSpan StartUpTime { get; set; } = TimeSpan.FromMilliseconds(3);

    /// <summary>Fault: while set, every byte read is this value and writes are lost (a dead or unplugged chip).</summary>
    public byte? StuckBus { get; set; }

    /// <summary>Fault: a latched-up chip that reads 0x00 until a hard reset on its RST pin.</summary>
    public bool LatchedUp { get; set; }

    /// <summary>Fault: the next Transceive never completes and no interrupt is raised until a reset.</summary>
    public bool FreezeOnNextTransceive { get; set; }

    public int HardResets { get; private set; }

    public int SoftResets { get; private set; }

    public IReadOnlyList<SimulatedCard> Cards => _cards;

    public bool AntennaOn => (_registers[TxControlReg] & 0x03) != 0;

    /// <summary>The timer's period per the data sheet: (TReload + 1) * (2 * TPrescaler + 1) / 13.56 MHz.</summary>
    public TimeSpan TimerPeriod
    {
        get
        {
            var prescaler = ((_registers[TModeReg] & 0x0F) << 8) | _registers[TPrescalerReg];
            var divider = (2 * prescaler) + ((_registers[DemodReg] & 0x10) != 0 ? 2 : 1);
            var reload = (_registers[TReloadHighReg] << 8) | _registers[TReloadLowReg];
            return TimeSpan.FromSeconds((reload + 1.0) * divider / 13_560_000);
        }
    }

    public bool TimerStartsAfterTransmission => (_registers[TModeReg] & 0x80) != 0;

    public ushort CrcPreset => (_registers[ModeReg] & 0x03) switch { 0 => 0x0000, 1 => 0x6363, 2 => 0xA671, _ => 0xFFFF };

    /// <summary>A register as the chip holds it, without the side effects of an SPI read.</summary>
    public byte Peek(byte register) => _registers[register];

    public void Place(SimulatedCard card)
    {
        if (!_cards.Contains(card))
        {
            _cards.Add(card);
        }
        card.EnterField();
        card.Powered(AntennaOn && !_resetLineLow);
    }

    public void Remove(SimulatedCard card)
    {
        card.LeaveField();
        _cards.Remove(card);
    }

    /// <summary>The NRSTPD pin: low powers the chip down, the rising edge resets it.</summary>
    public void SetResetLine(bool high)
    {
        if (!high)
        {
            _resetLineLow = true;
            PowerCards(false);
            return;
        }
        if (_resetLineLow)
        {
            _resetLineLow = false;
            LatchedUp = false;
            HardResets++;
            Reset();
        }
    }

    public override void TransferFullDuplex(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        readBuffer.Clear();
        if (writeBuffer.IsEmpty)
        {
            return;
        }
        var dead = _resetLineLow || LatchedUp ? (byte)0x00 : StuckBus;
        if (dead is { } busValue)
        {
            readBuffer.Fill(busValue);
            return;
        }
        var first = writeBuffer[0];
        if ((first & 0x01) != 0)
        {
            throw new InvalidOperationException($"Address byte 0x{first:X2} has bit 0 set; the data sheet requires 0.");
        }
        if ((first & 0x80) == 0)
        {
            foreach (var data in writeBuffer[1..])
            {
                WriteRegister((byte)(first >> 1), data);
            }
            return;
        }
        if (writeBuffer[^1] != 0x00)
        {
            throw new InvalidOperationException("A read must end with the byte 0x00 that clocks out the last value.");
        }
        for (var i = 0; i < writeBuffer.Length - 1; i++)
        {
            if ((writeBuffer[i] & 0x81) != 0x80)
            {
                throw new InvalidOperationException($"Byte {i} of a read, 0x{writeBuffer[i]:X2}, is not a read address.");
            }
            var value = ReadRegister((byte)((writeBuffer[i] >> 1) & 0x3F));
            if (i + 1 < readBuffer.Length)
            {
                readBuffer[i + 1] = value;
            }
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer) => TransferFullDuplex(buffer, stackalloc byte[buffer.Length]);

    public override void Read(Span<byte> buffer) => TransferFullDuplex(stackalloc byte[buffer.Length], buffer);

    private bool Asleep => time.GetUtcNow() < _awakeAt;

    private byte ReadRegister(byte register)
    {
        RunTimer();
        switch (register)
        {
            case CommandReg:
                return (byte)(_registers[CommandReg] | (Asleep ? PowerDownBit : 0));
            case FifoDataReg:
                return _fifo.Count > 0 ? _fifo.Dequeue() : (byte)0x00;
            case FifoLevelReg:
                return (byte)_fifo.Count;
            case VersionReg:
                return Version;
            default:
                return _registers[register];
        }
    }

    private void WriteRegister(byte register, byte value)
    {
        if (Asleep)
        {
            return;
        }
        switch (register)
        {
            case CommandReg:
                StartCommand(value);
                break;
            case ComIrqReg or DivIrqReg:
                // Set1/Set2 (bit 7) chooses whether the marked bits are set or cleared.
                _registers[register] = (value & 0x80) != 0
                    ? (byte)(_registers[register] | (value & 0x7F))
                    : (byte)(_registers[register] & ~value);
                break;
            case FifoDataReg:
                PushFifo(value);
                break;
            case FifoLevelReg:
                if ((value & 0x80) != 0)
                {
                    _fifo.Clear();
                    _registers[ErrorReg] &= unchecked((byte)~BufferOvfl);
                }
                break;
            case BitFramingReg:
                _registers[BitFramingReg] = value;
                if ((value & 0x80) != 0 && CurrentCommand == Transceive)
                {
                    SendFrame(expectAnswer: true);
                }
                break;
            case ControlReg:
                if ((value & 0x80) != 0)
                {
                    _timerEndsAt = null;
                }
                else if ((value & 0x40) != 0)
                {
                    _timerEndsAt = time.GetUtcNow() + TimerPeriod;
                }
                break;
            case CollReg:
                _registers[CollReg] = (byte)((_registers[CollReg] & 0x7F) | (value & 0x80));
                break;
            case TxControlReg:
                var wasOn = AntennaOn;
                _registers[TxControlReg] = value;
                if (wasOn != AntennaOn)
                {
                    PowerCards(AntennaOn);
                }
                break;
            case ErrorReg or Status1Reg or VersionReg or CrcResultMsbReg or CrcResultLsbReg:
                break;
            default:
                _registers[register] = value;
                break;
        }
    }

    private byte CurrentCommand => (byte)(_registers[CommandReg] & 0x0F);

    private void StartCommand(byte value)
    {
        var command = (byte)(value & 0x0F);
        if (command == SoftReset)
        {
            SoftResets++;
            Reset();
            return;
        }
        var flags = (byte)(value & 0x30);
        _registers[CommandReg] = (byte)(flags | (command == NoCmdChange ? CurrentCommand : command));
        switch (command)
        {
            case Idle:
                _registers[ComIrqReg] |= IdleIrq;
                break;
            case Mem:
                RunMem();
                break;
            case CalcCrc:
                _crc = CrcPreset;
                FeedCrc();
                break;
            case Transmit:
                SendFrame(expectAnswer: false);
                break;
        }
    }

    private void PushFifo(byte value)
    {
        if (_fifo.Count == FifoSize)
        {
            _registers[ErrorReg] |= BufferOvfl;
            _registers[ComIrqReg] |= ErrIrq;
            return;
        }
        _fifo.Enqueue(value);
        if (CurrentCommand == CalcCrc)
        {
            FeedCrc();
        }
    }

    /// <summary>CalcCRC runs until another command: every byte reaching the FIFO meanwhile is added.</summary>
    private void FeedCrc()
    {
        while (_fifo.Count > 0)
        {
            _crc = CrcA.Add(_crc, _fifo.Dequeue());
        }
        _registers[CrcResultMsbReg] = (byte)(_crc >> 8);
        _registers[CrcResultLsbReg] = (byte)_crc;
        _registers[DivIrqReg] |= CrcIrq;
        _registers[Status1Reg] |= 0x20;
    }

    /// <summary>Mem: 25 bytes from the FIFO into the internal buffer, or the buffer back into an empty FIFO.</summary>
    private void RunMem()
    {
        if (_fifo.Count >= 25)
        {
            _memBuffer = [.. Enumerable.Range(0, 25).Select(_ => _fifo.Dequeue())];
        }
        else if (_fifo.Count == 0)
        {
            foreach (var b in _memBuffer)
            {
                _fifo.Enqueue(b);
            }
        }
        _registers[CommandReg] &= 0xF0;
        _registers[ComIrqReg] |= IdleIrq;
    }

    private void RunTimer()
    {
        if (_timerEndsAt is { } end && time.GetUtcNow() >= end && !_frozen)
        {
            _timerEndsAt = null;
            _registers[ComIrqReg] |= TimerIrq;
        }
    }

    private void PowerCards(bool on)
    {
        foreach (var card in _cards)
        {
            card.Powered(on && AntennaOn && !_resetLineLow);
        }
    }

    private void Reset()
    {
        ResetValues().CopyTo(_registers, 0);
        _fifo.Clear();
        _timerEndsAt = null;
        _frozen = false;
        _awakeAt = time.GetUtcNow() + StartUpTime;
        PowerCards(false);
    }

    private static byte[] ResetValues()
    {
        var r = new byte[64];
        r[CommandReg] = 0x20;
        r[0x02] = 0x80;
        r[ComIrqReg] = IdleIrq | LoAlertIrq;
        r[Status1Reg] = 0x21;
        r[0x0B] = 0x08;
        r[ControlReg] = 0x10;
        r[CollReg] = 0xA0;
        r[ModeReg] = 0x3F;
        r[TxControlReg] = 0x80;
        r[0x16] = 0x10;
        r[0x17] = 0x84;
        r[0x18] = 0x84;
        r[DemodReg] = 0x4D;
        r[0x1C] = 0x62;
        r[0x1F] = 0xEB;
        r[CrcResultMsbReg] = 0xFF;
        r[CrcResultLsbReg] = 0xFF;
        r[0x24] = 0x26;
        r[0x26] = 0x48;
        r[0x27] = 0x88;
        r[0x28] = 0x20;
        r[0x29] = 0x20;
        r[0x36] = 0x40;
        return r;
    }
}
