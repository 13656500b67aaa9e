using System.Device.Gpio;
using System.Device.Spi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PassTrack.Contracts.Protocol;

namespace PassTrack.Kiosk.Hardware.CardReader;

/// <summary>
/// The NXP MFRC522 13.56 MHz reader on SPI, reading ISO/IEC 14443-3 type A UIDs (4, 7 or 10 bytes). The chip is set
/// up on the first <see cref="Poll"/> (or <see cref="Initialize"/>); once it has failed, polls throw until
/// <see cref="Recover"/> succeeds. It owns the SPI device and the reset GPIO.
/// </summary>
/// <remarks>
/// Presence: each poll sends REQA first, which only cards in IDLE (just arrived) answer, so a new card is read even
/// when another, already read and halted, stays on the reader. Only when nothing answers REQA does it send WUPA,
/// which also wakes halted cards: a card held on the reader is then read again every poll, so the caller sees it as
/// continuously present (see <see cref="CardTaps"/>) instead of gone while it is merely halted. Every card read is
/// halted (HLTA) so it keeps out of the next REQA round.
/// </remarks>
public sealed class Mfrc522 : ICardReader
{
    private static readonly TimeSpan ResetPulse = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan WakeCheckInterval = TimeSpan.FromMilliseconds(2);
    private const int MaxWakeChecks = 50;

    /// <summary>Degraded when this many of the last <see cref="ErrorWindow"/> card reads failed a check.</summary>
    private const int DegradedAfterErrors = 3;

    private const int ErrorWindow = 16;

    private static readonly byte[] ConfigurationRegisters = [Reg.TMode, Reg.TPrescaler, Reg.TxControl];

    private readonly SpiDevice _spi;
    private readonly IHardwareDelay _delay;
    private readonly GpioController? _gpio;
    private readonly int _resetPin;
    private readonly ILogger _logger;
    private readonly Mfrc522Chip _chip;
    private readonly Iso14443A _iso;
    private readonly Lock _gate = new();
    private readonly bool[] _recentErrors = new bool[ErrorWindow];
    private int _recentIndex;
    private bool _initialised;
    private bool _failed;
    private int _wakeBranch = 1;
    private volatile ReaderHealth _health = ReaderHealth.Ok;

    /// <param name="spi">The chip's SPI device (mode 0, up to 10 MHz).</param>
    /// <param name="delay">Waits the reset and polling intervals.</param>
    /// <param name="resetGpio">Drives the chip's NRSTPD pin for a hard reset; null when RST is tied high.</param>
    /// <param name="resetPin">The reset pin's number on <paramref name="resetGpio"/>.</param>
    public Mfrc522(SpiDevice spi, IHardwareDelay delay, GpioController? resetGpio = null, int resetPin = 25, ILogger<Mfrc522>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(spi);
        ArgumentNullException.ThrowIfNull(delay);
        _spi = spi;
        _delay = delay;
        _gpio = resetGpio;
        _resetPin = resetPin;
        _logger = logger ?? NullLogger<Mfrc522>.Instance;
        _chip = new Mfrc522Chip(spi, delay);
        _iso = new Iso14443A(_chip);
    }

    public ReaderHealth Health => _health;

    /// <summary>What VersionReg said at the last initialisation, e.g. "MFRC522 v2.0".</summary>
    public string? ChipName { get; private set; }

    /// <summary>Resets and configures the chip now rather than on the first poll.</summary>
    /// <exception cref="CardReaderException">No MFRC522 answered.</exception>
    public void Initialize()
    {
        lock (_gate)
        {
            Guarded(Start);
        }
    }

    public CardUid? Poll()
    {
        lock (_gate)
        {
            if (_failed)
            {
                throw new CardReaderException("MFRC522 is not answering; Recover() resets it.");
            }
            return Guarded(() =>
            {
                if (!_initialised)
                {
                    Start();
                }
                EnsureStillConfigured();
                var read = _iso.ReadOne(Iso14443A.Reqa, branch: 1);
                if (read.Failure == ReadFailure.NoCard)
                {
                    // Alternating the branch lets two halted cards held together both stay visible.
                    read = _iso.ReadOne(Iso14443A.Wupa, _wakeBranch);
                    _wakeBranch ^= 1;
                }
                Record(read);
                return read.Uid;
            });
        }
    }

    public void Recover()
    {
        lock (_gate)
        {
            Guarded(Start);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_initialised && _health != ReaderHealth.Failed)
            {
                try
                {
                    _chip.ClearBits(Reg.TxControl, Bits.AntennaOn);
                }
                catch (IOException)
                {
                    // The bus is going away with us; the antenna goes off with the chip's power.
                }
            }
            _spi.Dispose();
            _gpio?.Dispose();
        }
    }

    private void Start()
    {
        _initialised = false;
        Reset();
        var version = _chip.Read(Reg.Version);
        ChipName = Mfrc522Versions.Describe(version);
        if (ChipName is null)
        {
            Mfrc522Log.UnknownVersion(_logger, version);
            throw new CardReaderException($"No MFRC522 answering: VersionReg reads 0x{version:X2}.");
        }
        Configure();
        Array.Clear(_recentErrors);
        _initialised = true;
        _failed = false;
        _health = ReaderHealth.Ok;
        Mfrc522Log.Ready(_logger, ChipName, version);
    }

    private void Reset()
    {
        if (_gpio is not null)
        {
            if (!_gpio.IsPinOpen(_resetPin))
            {
                _gpio.OpenPin(_resetPin, PinMode.Output, PinValue.High);
            }
            // A low pulse on NRSTPD powers the chip down; the rising edge resets it.
            _gpio.Write(_resetPin, PinValue.Low);
            _delay.Wait(ResetPulse);
            _gpio.Write(_resetPin, PinValue.High);
        }
        else
        {
            _chip.Write(Reg.Command, Cmd.SoftReset);
        }
        for (var check = 0; check < MaxWakeChecks; check++)
        {
            _delay.Wait(WakeCheckInterval);
            if ((_chip.Read(Reg.Command) & Cmd.PowerDown) == 0)
            {
                return;
            }
        }
        throw new CardReaderException("No MFRC522 answering: it never left power-down after a reset.");
    }

    private void Configure()
    {
        _chip.Write(Reg.TxMode, 0x00);
        _chip.Write(Reg.RxMode, 0x00);
        _chip.Write(Reg.TMode, Setup.TMode);
        _chip.Write(Reg.TPrescaler, Setup.TPrescaler);
        _chip.Write(Reg.TReloadHigh, Setup.TReload >> 8);
        _chip.Write(Reg.TReloadLow, Setup.TReload & 0xFF);
        _chip.Write(Reg.TxAsk, Setup.TxAsk);
        _chip.Write(Reg.Mode, Setup.Mode);
        _chip.Write(Reg.Coll, Setup.Coll);
        _chip.SetBits(Reg.TxControl, Bits.AntennaOn);
        EnsureStillConfigured();
    }

    /// <summary>One transfer per poll: a dead bus reads all 0x00 or 0xFF, a chip that reset itself lost its timer.</summary>
    private void EnsureStillConfigured()
    {
        Span<byte> values = stackalloc byte[ConfigurationRegisters.Length];
        _chip.Read(ConfigurationRegisters, values);
        if (values[0] != Setup.TMode || values[1] != Setup.TPrescaler || (values[2] & Bits.AntennaOn) != Bits.AntennaOn)
        {
            throw new CardReaderException(
                $"MFRC522 stopped answering: TMode 0x{values[0]:X2}, TPrescaler 0x{values[1]:X2}, TxControl 0x{values[2]:X2} are not what was set.");
        }
    }

    private void Record(CardRead read)
    {
        if (read.Failure == ReadFailure.NoCard)
        {
            return;
        }
        if (read.Failure != ReadFailure.None)
        {
            Mfrc522Log.ReadFailed(_logger, read.Failure);
        }
        // A card pulled away mid-read is normal use; broken frames and bad checks are not.
        _recentErrors[_recentIndex] = read.Failure is ReadFailure.Garbled or ReadFailure.BadCheck;
        _recentIndex = (_recentIndex + 1) % ErrorWindow;
        var errors = _recentErrors.Count(e => e);
        _health = errors >= DegradedAfterErrors ? ReaderHealth.Degraded : ReaderHealth.Ok;
    }

    private void Guarded(Action action) => Guarded(() =>
    {
        action();
        return 0;
    });

    private T Guarded<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (CardReaderException ex)
        {
            Fail(ex.Message);
            throw;
        }
        catch (IOException ex)
        {
            Fail(ex.Message);
            throw new CardReaderException($"MFRC522 stopped answering: SPI transfer failed ({ex.Message}).", ex);
        }
    }

    private void Fail(string reason)
    {
        _initialised = false;
        _failed = true;
        _health = ReaderHealth.Failed;
        Mfrc522Log.ChipFailed(_logger, reason);
    }
}
