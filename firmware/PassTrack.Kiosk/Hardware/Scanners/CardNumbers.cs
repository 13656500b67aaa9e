using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace PassTrack.Kiosk.Hardware.Scanners;

/// <summary>
/// How a keyboard-style 13.56 MHz reader types a card's UID. "First byte" is the UID byte the card sends first, the one
/// the MFRC522 reports first.
/// </summary>
public enum CardNumberFormat
{
    /// <summary>Hex, first byte first (04A23B1C): the MFRC522's own order.</summary>
    HexMsbFirst,
    /// <summary>Hex, last byte first (1C3BA204).</summary>
    HexLsbFirst,
    /// <summary>Decimal of the UID read as a big-endian number, first byte most significant (0077740828).</summary>
    DecimalBigEndian,
    /// <summary>Decimal of the UID read as a little-endian number, first byte least significant (0473670148).</summary>
    DecimalLittleEndian,
}

/// <summary>
/// Turns what a reader typed into the UID as the MFRC522 reports it (upper-case hex, first byte first), so one card is
/// one credential on every reader. UIDs are 4, 7 or 10 bytes; in decimal only 4 and 7 fit a reader's number.
/// </summary>
public static class CardNumbers
{
    private const int MaxHexDigits = 20;
    private static readonly int[] UidLengths = [4, 7, 10];
    private static readonly char[] Separators = [' ', ':', '-', '.'];

    /// <exception cref="FormatException">The text is not a card number in that format; the message says why.</exception>
    public static CardUid Normalise(string raw, CardNumberFormat format) =>
        TryNormalise(raw, format, out var uid, out var error) ? uid : throw new FormatException(error);

    public static bool TryNormalise(string? raw, CardNumberFormat format, out CardUid uid, [NotNullWhen(false)] out string? error)
    {
        uid = default;
        var text = ScanText.Clean(raw);
        if (text.Length == 0)
        {
            error = "The card number is empty.";
            return false;
        }

        byte[]? bytes;
        if (format is CardNumberFormat.HexMsbFirst or CardNumberFormat.HexLsbFirst)
        {
            if (!TryParseHex(text, out bytes, out error))
            {
                return false;
            }
        }
        else if (format is CardNumberFormat.DecimalBigEndian or CardNumberFormat.DecimalLittleEndian)
        {
            if (!TryParseDecimal(text, out bytes, out error))
            {
                return false;
            }
        }
        else
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown card number format.");
        }

        if (format is CardNumberFormat.HexLsbFirst or CardNumberFormat.DecimalLittleEndian)
        {
            Array.Reverse(bytes);
        }

        uid = CardUid.FromBytes(bytes);
        error = null;
        return true;
    }

    private static bool TryParseHex(string text, [NotNullWhen(true)] out byte[]? bytes, [NotNullWhen(false)] out string? error)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            text = text[2..];
        }

        var bad = text.FirstOrDefault(c => !char.IsAsciiHexDigit(c) && Array.IndexOf(Separators, c) < 0);
        if (bad != default)
        {
            error = $"\"{text}\" is not a hex card number: '{bad}' is not a hex digit.";
            bytes = null;
            return false;
        }

        string digits;
        if (text.IndexOfAny(Separators) >= 0)
        {
            // Separated bytes ("04:A2:3B:1C", "4 a2 3b 1c"): each group is one byte.
            var groups = text.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
            if (groups.Any(g => g.Length > 2))
            {
                error = $"\"{text}\" is not a hex card number: a separated group has more than two digits.";
                bytes = null;
            return false;
            }

            digits = string.Concat(groups.Select(g => g.PadLeft(2, '0')));
        }
        else
        {
            // A reader printing a number may drop leading zeros: pad to the next UID size.
            var size = UidLengths.FirstOrDefault(n => n * 2 >= text.Length);
            digits = size == 0 ? text : text.PadLeft(size * 2, '0');
        }

        if (digits.Length > MaxHexDigits || !UidLengths.Contains(digits.Length / 2))
        {
            error = $"\"{text}\" is not a card number: a UID is 4, 7 or 10 bytes, this is {(digits.Length + 1) / 2}.";
            bytes = null;
            return false;
        }

        error = null;
        bytes = Convert.FromHexString(digits);
        return true;
    }

    private static bool TryParseDecimal(string text, [NotNullWhen(true)] out byte[]? bytes, [NotNullWhen(false)] out string? error)
    {
        var bad = text.FirstOrDefault(c => !char.IsAsciiDigit(c));
        if (bad != default)
        {
            error = $"\"{text}\" is not a decimal card number: '{bad}' is not a digit.";
            bytes = null;
            return false;
        }

        var significant = text.TrimStart('0');
        if (significant.Length > 17 || !ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            error = $"\"{text}\" is too large for a card number (at most 7 bytes).";
            bytes = null;
            return false;
        }

        int size;
        if (value <= uint.MaxValue)
        {
            size = 4;
        }
        else if (text.Length <= 10)
        {
            error = $"\"{text}\" overflows a 4-byte card number (the largest is {uint.MaxValue}).";
            bytes = null;
            return false;
        }
        else if (value < 1UL << 56)
        {
            size = 7;
        }
        else
        {
            error = $"\"{text}\" is too large for a card number (at most 7 bytes).";
            bytes = null;
            return false;
        }

        bytes = new byte[size];
        for (var i = size - 1; i >= 0; i--)
        {
            bytes[i] = (byte)value;
            value >>= 8;
        }

        error = null;
        return true;
    }
}
