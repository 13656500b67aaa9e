using System.Globalization;
using PassTrack.Kiosk.Hardware;
using PassTrack.Kiosk.Hardware.Scanners;

namespace PassTrack.Kiosk.Tests.Hardware.Scanners;

public sealed class CardNumbersTests
{
    public static TheoryData<string> Uids => new("04A23B1C", "00000001", "FFFFFFFF", "8A00B1C2", "04D1A2B3C48090");

    [Theory]
    [MemberData(nameof(Uids))]
    public void The_same_card_reads_as_the_mfrc522_uid_in_every_format(string uidHex)
    {
        var uid = Convert.FromHexString(uidHex);
        var reversed = uid.Reverse().ToArray();
        var expected = CardUid.FromBytes(uid).Hex;

        var typings = new (string Typed, CardNumberFormat Format)[]
        {
            (Convert.ToHexString(uid), CardNumberFormat.HexMsbFirst),
            (Convert.ToHexString(uid).ToLowerInvariant(), CardNumberFormat.HexMsbFirst),
            (string.Join(':', uid.Select(b => b.ToString("X2", CultureInfo.InvariantCulture))), CardNumberFormat.HexMsbFirst),
            (string.Join(' ', uid.Select(b => b.ToString("x2", CultureInfo.InvariantCulture))), CardNumberFormat.HexMsbFirst),
            ("0x" + Convert.ToHexString(uid), CardNumberFormat.HexMsbFirst),
            (Convert.ToHexString(reversed), CardNumberFormat.HexLsbFirst),
            (string.Join('-', reversed.Select(b => b.ToString("x2", CultureInfo.InvariantCulture))), CardNumberFormat.HexLsbFirst),
            (AsNumber(uid).ToString("D10", CultureInfo.InvariantCulture), CardNumberFormat.DecimalBigEndian),
            (AsNumber(uid).ToString(CultureInfo.InvariantCulture), CardNumberFormat.DecimalBigEndian),
            (AsNumber(reversed).ToString("D10", CultureInfo.InvariantCulture), CardNumberFormat.DecimalLittleEndian),
            (AsNumber(reversed).ToString(CultureInfo.InvariantCulture), CardNumberFormat.DecimalLittleEndian),
        };

        Assert.All(typings, t => Assert.Equal(expected, CardNumbers.Normalise(t.Typed, t.Format).Hex));
    }

    [Theory]
    [InlineData("04A23B1C", CardNumberFormat.HexMsbFirst)]
    [InlineData("04:a2:3b:1c", CardNumberFormat.HexMsbFirst)]
    [InlineData("1C3BA204", CardNumberFormat.HexLsbFirst)]
    [InlineData("0077740828", CardNumberFormat.DecimalBigEndian)]
    [InlineData("77740828", CardNumberFormat.DecimalBigEndian)]
    [InlineData("0473670148", CardNumberFormat.DecimalLittleEndian)]
    [InlineData(" 0473670148\r", CardNumberFormat.DecimalLittleEndian)]
    public void A_worked_example_card_is_04A23B1C_however_it_is_typed(string typed, CardNumberFormat format)
    {
        Assert.Equal("04A23B1C", CardNumbers.Normalise(typed, format).Hex);
    }

    [Fact]
    public void Hex_with_its_leading_zero_dropped_still_reads_the_whole_uid()
    {
        Assert.Equal("04A23B1C", CardNumbers.Normalise("4A23B1C", CardNumberFormat.HexMsbFirst).Hex);
        Assert.Equal("04A23B0C", CardNumbers.Normalise("C3BA204", CardNumberFormat.HexLsbFirst).Hex);
    }

    [Theory]
    [InlineData("04A23B1G", CardNumberFormat.HexMsbFirst, "'G' is not a hex digit")]
    [InlineData("04A23B1C04A23B1C04A23B1C", CardNumberFormat.HexMsbFirst, "4, 7 or 10 bytes")]
    [InlineData("04:A2:3B", CardNumberFormat.HexMsbFirst, "4, 7 or 10 bytes, this is 3")]
    [InlineData("04A:23B:1C", CardNumberFormat.HexMsbFirst, "more than two digits")]
    [InlineData("4294967296", CardNumberFormat.DecimalBigEndian, "overflows a 4-byte card number")]
    [InlineData("9999999999", CardNumberFormat.DecimalLittleEndian, "overflows a 4-byte card number")]
    [InlineData("99999999999999999999", CardNumberFormat.DecimalBigEndian, "too large")]
    [InlineData("1C3BA204", CardNumberFormat.DecimalLittleEndian, "'C' is not a digit")]
    [InlineData("-77740828", CardNumberFormat.DecimalBigEndian, "'-' is not a digit")]
    [InlineData("   ", CardNumberFormat.HexMsbFirst, "empty")]
    public void Bad_input_is_refused_saying_why(string typed, CardNumberFormat format, string because)
    {
        var error = Assert.Throws<FormatException>(() => CardNumbers.Normalise(typed, format));

        Assert.Contains(because, error.Message, StringComparison.Ordinal);
        Assert.False(CardNumbers.TryNormalise(typed, format, out _, out var message));
        Assert.Equal(error.Message, message);
    }

    private static ulong AsNumber(byte[] bigEndian) => bigEndian.Aggregate(0UL, (n, b) => (n << 8) | b);
}
