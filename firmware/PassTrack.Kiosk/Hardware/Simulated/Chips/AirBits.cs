namespace PassTrack.Kiosk.Hardware.Simulated.Chips;

/// <summary>ISO/IEC 14443 type A sends every byte least significant bit first: frames here are bit sequences.</summary>
internal static class AirBits
{
    public static bool[] FromBytes(ReadOnlySpan<byte> bytes, int bitCount)
    {
        var bits = new bool[bitCount];
        for (var i = 0; i < bitCount; i++)
        {
            bits[i] = ((bytes[i / 8] >> (i % 8)) & 1) != 0;
        }
        return bits;
    }

    public static bool[] FromBytes(params byte[] bytes) => FromBytes(bytes, bytes.Length * 8);

    /// <summary>Whole bytes of a frame that is a whole number of bytes; null otherwise.</summary>
    public static byte[]? WholeBytes(IReadOnlyList<bool> bits)
    {
        if (bits.Count % 8 != 0)
        {
            return null;
        }
        var bytes = new byte[bits.Count / 8];
        for (var i = 0; i < bits.Count; i++)
        {
            if (bits[i])
            {
                bytes[i / 8] |= (byte)(1 << (i % 8));
            }
        }
        return bytes;
    }
}

/// <summary>The simulator's own CRC_A (ISO/IEC 14443-3 annex B): x^16 + x^12 + x^5 + 1, reflected, preset 0x6363.</summary>
internal static class CrcA
{
    public static ushort Compute(ReadOnlySpan<byte> data, ushort preset = 0x6363)
    {
        var crc = preset;
        foreach (var b in data)
        {
            crc = Add(crc, b);
        }
        return crc;
    }

    public static ushort Add(ushort crc, byte value)
    {
        crc ^= value;
        for (var bit = 0; bit < 8; bit++)
        {
            crc = (crc & 1) != 0 ? (ushort)((crc >> 1) ^ 0x8408) : (ushort)(crc >> 1);
        }
        return crc;
    }

    /// <summary>The frame with its CRC_A appended, low byte first as it goes over the air.</summary>
    public static byte[] Append(params byte[] data)
    {
        var crc = Compute(data);
        return [.. data, (byte)crc, (byte)(crc >> 8)];
    }

    public static bool Check(ReadOnlySpan<byte> frameWithCrc)
    {
        if (frameWithCrc.Length < 3)
        {
            return false;
        }
        var crc = Compute(frameWithCrc[..^2]);
        return frameWithCrc[^2] == (byte)crc && frameWithCrc[^1] == (byte)(crc >> 8);
    }
}
