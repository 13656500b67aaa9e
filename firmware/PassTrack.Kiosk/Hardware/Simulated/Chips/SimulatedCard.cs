namespace PassTrack.Kiosk.Hardware.Simulated.Chips;

/// <summary>ISO/IEC 14443-3 type A card states. Off: not in a powered field.</summary>
public enum CardState
{
    Off,
    Idle,
    Ready,
    Active,
    Halt,
}

/// <summary>
/// A type A card (PICC) as ISO/IEC 14443-3 describes its activation: REQA from IDLE, WUPA from IDLE or HALT,
/// bit-oriented anticollision per cascade level with BCC, SELECT checked by CRC_A, HLTA. A card woken from HALT
/// falls back to HALT (READY* / ACTIVE*), any other to IDLE, on a frame it does not expect.
/// </summary>
public sealed class SimulatedCard
{
    private const byte CascadeTag = 0x88;
    private static readonly byte[] SelectCodes = [0x93, 0x95, 0x97];

    private int? _answersLeft;

    public SimulatedCard(string uidHex, byte sak = 0x08)
    {
        Uid = Convert.FromHexString(uidHex);
        if (Uid.Length is not (4 or 7 or 10))
        {
            throw new ArgumentException("A type A UID has 4, 7 or 10 bytes.", nameof(uidHex));
        }
        if ((sak & 0x04) != 0)
        {
            throw new ArgumentException("The final SAK must not carry the cascade bit 0x04.", nameof(sak));
        }
        Sak = sak;
    }

    public byte[] Uid { get; }

    public string UidHex => Convert.ToHexString(Uid);

    public byte Sak { get; }

    public CardState State { get; private set; } = CardState.Off;

    /// <summary>READY* / ACTIVE*: woken from HALT by WUPA, so an unexpected frame sends it back to HALT.</summary>
    public bool WokenFromHalt { get; private set; }

    /// <summary>0-based cascade level the card is at while READY.</summary>
    public int CascadeLevel { get; private set; }

    public int TimesHalted { get; private set; }

    /// <summary>Fault: every UID CLn it sends carries a wrong BCC.</summary>
    public bool CorruptBcc { get; set; }

    /// <summary>Fault: its SAK goes out with a wrong CRC_A.</summary>
    public bool CorruptSakCrc { get; set; }

    /// <summary>False once the card has been pulled out of the field.</summary>
    public bool InField { get; private set; }

    private int Levels => Uid.Length switch { 4 => 1, 7 => 2, _ => 3 };

    private CardState RestState => WokenFromHalt ? CardState.Halt : CardState.Idle;

    /// <summary>Fault: the card is pulled away right after giving this many answers.</summary>
    public void LeaveAfterAnswers(int answers) => _answersLeft = answers;

    /// <summary>UID CLn of a cascade level and its BCC (5 bytes), as the card sends them.</summary>
    public byte[] UidCl(int level)
    {
        var cl = (Levels, level) switch
        {
            (1, 0) => Uid[..4],
            (_, 0) => [CascadeTag, .. Uid[..3]],
            (2, 1) => Uid[3..7],
            (3, 1) => [CascadeTag, .. Uid[3..6]],
            _ => Uid[6..10],
        };
        var bcc = (byte)(cl[0] ^ cl[1] ^ cl[2] ^ cl[3] ^ (CorruptBcc ? 0x01 : 0x00));
        return [.. cl, bcc];
    }

    internal void EnterField()
    {
        InField = true;
        State = CardState.Off;
    }

    internal void LeaveField()
    {
        InField = false;
        State = CardState.Off;
    }

    /// <summary>The reader's field came on (power-on reset) or went off.</summary>
    internal void Powered(bool on)
    {
        State = on && InField ? CardState.Idle : CardState.Off;
        WokenFromHalt = false;
    }

    /// <summary>A frame from the reader; returns the card's answer as bits, or null when it keeps quiet.</summary>
    internal bool[]? Hear(bool[] frame)
    {
        if (!InField || State == CardState.Off)
        {
            return null;
        }
        var answer = Respond(frame);
        if (answer is not null && _answersLeft is { } left)
        {
            _answersLeft = left - 1;
            if (left - 1 <= 0)
            {
                // Pulled away as the answer went out: it is lost, and so are the card's states.
                LeaveField();
                _answersLeft = null;
            }
        }
        return answer;
    }

    private bool[]? Respond(bool[] frame)
    {
        if (frame.Length == 7)
        {
            return ShortFrame(AirBits.WholeBytes([.. frame, false])![0]);
        }
        return State switch
        {
            CardState.Ready => AtReady(frame),
            CardState.Active => AtActive(AirBits.WholeBytes(frame)),
            _ => null,
        };
    }

    private bool[]? ShortFrame(byte command)
    {
        var wakes = (command == 0x26 && State == CardState.Idle)
            || (command == 0x52 && State is CardState.Idle or CardState.Halt);
        if (!wakes)
        {
            if (State is CardState.Ready or CardState.Active)
            {
                State = RestState;
            }
            return null;
        }
        WokenFromHalt = State == CardState.Halt;
        State = CardState.Ready;
        CascadeLevel = 0;
        // ATQA: UID size in bits 8..7 of the first byte, bit frame anticollision in bit 3.
        var sizeBits = (Levels - 1) << 6;
        return AirBits.FromBytes((byte)(sizeBits | 0x04), 0x00);
    }

    private bool[]? AtReady(bool[] frame)
    {
        var head = frame.Length >= 16 ? AirBits.WholeBytes(frame[..16]) : null;
        if (head is null || head[0] != SelectCodes[CascadeLevel])
        {
            State = RestState;
            return null;
        }
        var cl = AirBits.FromBytes(UidCl(CascadeLevel));
        if (head[1] == 0x70)
        {
            return Select(AirBits.WholeBytes(frame), cl);
        }
        var known = ((head[1] >> 4) - 2) * 8 + (head[1] & 0x0F);
        if ((head[1] & 0x0F) > 7 || known < 0 || known > 32 || frame.Length != 16 + known)
        {
            State = RestState;
            return null;
        }
        // Answer only when the bits the reader already knows are ours; the rest of UID CLn + BCC follows them.
        return frame.AsSpan(16).SequenceEqual(cl.AsSpan(0, known)) ? cl[known..] : null;
    }

    private bool[]? Select(byte[]? frame, bool[] cl)
    {
        if (frame is not { Length: 9 } || !CrcA.Check(frame) || !frame.AsSpan(2, 5).SequenceEqual(AirBits.WholeBytes(cl)))
        {
            State = RestState;
            return null;
        }
        byte sak;
        if (CascadeLevel < Levels - 1)
        {
            CascadeLevel++;
            sak = 0x04;
        }
        else
        {
            State = CardState.Active;
            sak = Sak;
        }
        var answer = CrcA.Append(sak);
        if (CorruptSakCrc)
        {
            answer[1] ^= 0x01;
        }
        return AirBits.FromBytes(answer);
    }

    private bool[]? AtActive(byte[]? frame)
    {
        if (frame is { Length: 4 } && frame[0] == 0x50 && frame[1] == 0x00 && CrcA.Check(frame))
        {
            State = CardState.Halt;
            TimesHalted++;
            return null;
        }
        State = RestState;
        return null;
    }
}
