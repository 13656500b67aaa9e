namespace PassTrack.Kiosk.Hardware.CardReader;

/// <summary>Why a look at the field gave no UID.</summary>
internal enum ReadFailure
{
    None,

    /// <summary>Nothing answered the request.</summary>
    NoCard,

    /// <summary>A card answered the request and then went silent: it left the field mid-read.</summary>
    Left,

    /// <summary>A frame arrived broken or malformed.</summary>
    Garbled,

    /// <summary>A BCC or CRC_A did not match.</summary>
    BadCheck,
}

internal readonly record struct CardRead(CardUid? Uid, ReadFailure Failure)
{
    public static CardRead Failed(ReadFailure failure) => new(null, failure);
}

/// <summary>
/// ISO/IEC 14443-3 type A on top of the chip: request, bit-oriented anticollision per cascade level, SELECT with
/// CRC_A, HLTA. Bits go over the air least significant first, so bit n of a UID CLn is bit n % 8 of byte n / 8.
/// </summary>
internal sealed class Iso14443A(Mfrc522Chip chip)
{
    /// <summary>REQA wakes cards in IDLE only; WUPA also wakes halted ones. Both are 7-bit short frames.</summary>
    public const byte Reqa = 0x26;

    public const byte Wupa = 0x52;

    private const byte CascadeTag = 0x88;
    private const byte SakUidNotComplete = 0x04;
    private const byte NvbSelect = 0x70;
    private static readonly byte[] SelectCodes = [0x93, 0x95, 0x97];

    /// <summary>
    /// Requests, resolves one card (taking <paramref name="branch"/> at every collided bit), selects it and halts it.
    /// </summary>
    public CardRead ReadOne(byte request, int branch)
    {
        var atqa = chip.Transceive([request], txLastBits: 7);
        if (atqa.Result == AirResult.Silent)
        {
            return CardRead.Failed(ReadFailure.NoCard);
        }
        // Several cards answering at once may collide in the ATQA: that still means a card is there.
        if (atqa.Result == AirResult.Garbled || atqa.Data.Length != 2 || atqa.LastBits != 0)
        {
            return CardRead.Failed(ReadFailure.Garbled);
        }

        var uid = new List<byte>(10);
        Span<byte> uidCl = stackalloc byte[5];
        foreach (var sel in SelectCodes)
        {
            var failure = Anticollision(sel, branch, uidCl);
            if (failure == ReadFailure.None)
            {
                failure = Select(sel, uidCl, out var sak);
                if (failure == ReadFailure.None)
                {
                    if ((sak & SakUidNotComplete) == 0)
                    {
                        uid.AddRange(uidCl[..4]);
                        Halt();
                        return new CardRead(CardUid.FromBytes([.. uid]), ReadFailure.None);
                    }
                    if (uidCl[0] != CascadeTag)
                    {
                        return CardRead.Failed(ReadFailure.Garbled);
                    }
                    uid.AddRange(uidCl[1..4]);
                    continue;
                }
            }
            return CardRead.Failed(failure);
        }
        // A third cascade level that still says "not complete".
        return CardRead.Failed(ReadFailure.Garbled);
    }

    /// <summary>HLTA: the card stays quiet (answers WUPA only) until it leaves the field.</summary>
    public void Halt()
    {
        var (low, high) = chip.CrcA([0x50, 0x00]);
        chip.Transmit([0x50, 0x00, low, high]);
    }

    /// <summary>Fills <paramref name="uidCl"/> with the four UID CLn bytes and the BCC of one card at this level.</summary>
    private ReadFailure Anticollision(byte sel, int branch, Span<byte> uidCl)
    {
        uidCl.Clear();
        Span<byte> frame = stackalloc byte[7];
        var known = 0;
        // Each round settles at least one more bit, so 40 rounds always suffice.
        for (var round = 0; round <= 40; round++)
        {
            var fullBytes = known / 8;
            var extraBits = known % 8;
            var sentBytes = fullBytes + (extraBits > 0 ? 1 : 0);
            frame[0] = sel;
            frame[1] = (byte)(((2 + fullBytes) << 4) | extraBits);
            uidCl[..sentBytes].CopyTo(frame[2..]);

            var answer = chip.Transceive(frame[..(2 + sentBytes)], txLastBits: extraBits, rxAlign: extraBits);
            if (answer.Result == AirResult.Silent)
            {
                return ReadFailure.Left;
            }
            // The answer is the rest of the 40 bits, its first bit aligned where ours stopped.
            if (answer.Result == AirResult.Garbled || answer.Data.Length != 5 - fullBytes || answer.LastBits != 0)
            {
                return ReadFailure.Garbled;
            }
            var ours = (byte)((1 << extraBits) - 1);
            uidCl[fullBytes] = (byte)((uidCl[fullBytes] & ours) | (answer.Data[0] & ~ours));
            answer.Data.AsSpan(1).CopyTo(uidCl[(fullBytes + 1)..]);

            if (answer.CollisionAt == 0)
            {
                return (uidCl[0] ^ uidCl[1] ^ uidCl[2] ^ uidCl[3]) == uidCl[4] ? ReadFailure.None : ReadFailure.BadCheck;
            }
            // Bits before the collision are common to every card answering; choose a branch at the collided bit.
            var collided = (fullBytes * 8) + answer.CollisionAt - 1;
            if (collided < known || collided >= 32)
            {
                return ReadFailure.Garbled;
            }
            var mask = (byte)(1 << (collided % 8));
            uidCl[collided / 8] = (byte)(branch == 1 ? uidCl[collided / 8] | mask : uidCl[collided / 8] & ~mask);
            known = collided + 1;
        }
        return ReadFailure.Garbled;
    }

    private ReadFailure Select(byte sel, ReadOnlySpan<byte> uidCl, out byte sak)
    {
        sak = 0;
        Span<byte> frame = stackalloc byte[9];
        frame[0] = sel;
        frame[1] = NvbSelect;
        uidCl.CopyTo(frame[2..]);
        (frame[7], frame[8]) = chip.CrcA(frame[..7]);

        var answer = chip.Transceive(frame);
        if (answer.Result == AirResult.Silent)
        {
            return ReadFailure.Left;
        }
        if (answer.Result == AirResult.Garbled || answer.CollisionAt != 0 || answer.Data.Length != 3 || answer.LastBits != 0)
        {
            return ReadFailure.Garbled;
        }
        var (low, high) = chip.CrcA(answer.Data.AsSpan(0, 1));
        if (answer.Data[1] != low || answer.Data[2] != high)
        {
            return ReadFailure.BadCheck;
        }
        sak = answer.Data[0];
        return ReadFailure.None;
    }
}
