namespace PassTrack.Kiosk.Hardware.Simulated.Chips;

/// <summary>The RF side: framing with TxLastBits / RxAlign, the cards' answers merged bit by bit, collisions.</summary>
public sealed partial class Mfrc522Simulator
{
    private void SendFrame(bool expectAnswer)
    {
        var framing = _registers[BitFramingReg];
        var txLastBits = framing & 0x07;
        var rxAlign = (framing >> 4) & 0x07;
        var bytes = _fifo.ToArray();
        _fifo.Clear();
        _registers[ErrorReg] = 0;
        _registers[ComIrqReg] |= TxIrq;
        if (TimerStartsAfterTransmission)
        {
            _timerEndsAt = time.GetUtcNow() + TimerPeriod;
        }
        if (!expectAnswer)
        {
            // Transmit ends by itself; Transceive stays active, listening, until another command.
            _registers[CommandReg] &= 0xF0;
            _registers[ComIrqReg] |= IdleIrq;
        }
        if (FreezeOnNextTransceive && expectAnswer)
        {
            FreezeOnNextTransceive = false;
            _frozen = true;
            return;
        }
        if (bytes.Length == 0)
        {
            return;
        }
        var bitCount = ((bytes.Length - 1) * 8) + (txLastBits == 0 ? 8 : txLastBits);
        var frame = AirBits.FromBytes(bytes, bitCount);

        // Type A cards only demodulate 100 % ASK; without it they hear nothing.
        var heard = AntennaOn && (_registers[TxAskReg] & 0x40) != 0;
        var answers = heard ? _cards.ToList().Select(c => c.Hear(frame)).OfType<bool[]>().ToList() : [];
        if (!expectAnswer || answers.Count == 0)
        {
            return;
        }
        // TAuto: the timer stops once an answer starts arriving.
        _timerEndsAt = null;
        Receive(answers, rxAlign);
    }

    private void Receive(List<bool[]> answers, int rxAlign)
    {
        var length = answers.Max(a => a.Length);
        var bits = new bool[length];
        var firstCollision = -1;
        var keepAfterCollision = (_registers[CollReg] & 0x80) != 0;
        for (var i = 0; i < length; i++)
        {
            var values = answers.Where(a => i < a.Length).Select(a => a[i]).Distinct().ToList();
            if (values.Count > 1 && firstCollision < 0)
            {
                firstCollision = i;
            }
            // ValuesAfterColl = 0: from the collision on, received bits are cleared.
            bits[i] = (firstCollision < 0 || keepAfterCollision) && values.Contains(true);
        }

        var totalBits = rxAlign + length;
        var data = new byte[(totalBits + 7) / 8];
        for (var i = 0; i < length; i++)
        {
            if (bits[i])
            {
                var at = rxAlign + i;
                data[at / 8] |= (byte)(1 << (at % 8));
            }
        }
        foreach (var b in data)
        {
            _fifo.Enqueue(b);
        }
        _registers[ControlReg] = (byte)((_registers[ControlReg] & 0xF8) | (totalBits % 8));
        if (firstCollision >= 0)
        {
            // CollPos counts from the first bit position of the first byte, RxAlign included; 0 means the 32nd.
            var position = rxAlign + firstCollision + 1;
            var coll = position <= 32 ? (byte)(position & 0x1F) : (byte)0x20;
            _registers[CollReg] = (byte)((_registers[CollReg] & 0x80) | coll);
            _registers[ErrorReg] |= CollErr;
            _registers[ComIrqReg] |= ErrIrq;
        }
        else
        {
            _registers[CollReg] = (byte)((_registers[CollReg] & 0x80) | 0x20);
        }
        _registers[ComIrqReg] |= RxIrq;
    }
}
