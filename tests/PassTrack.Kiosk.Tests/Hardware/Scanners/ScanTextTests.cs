using PassTrack.Contracts.Protocol;
using PassTrack.Kiosk.Hardware;
using PassTrack.Kiosk.Hardware.Scanners;

namespace PassTrack.Kiosk.Tests.Hardware.Scanners;

public sealed class ScanTextTests
{
    [Fact]
    public void A_code_scanner_delivers_a_student_id_as_a_trimmed_barcode()
    {
        var code = ScanText.Interpret("  S123456\t", ScannerRole.Codes, CardNumberFormat.HexMsbFirst, out _);

        Assert.Equal(new ScannedCode(CredentialType.Barcode, "S123456"), code);
    }

    [Fact]
    public void A_qr_payload_keeps_its_inner_spaces_and_loses_its_stx_etx_wrapper()
    {
        var code = ScanText.Interpret("\u0002PASS 42 / Room B\u0003", ScannerRole.Codes, CardNumberFormat.HexMsbFirst, out _);

        Assert.Equal(new ScannedCode(CredentialType.Barcode, "PASS 42 / Room B"), code);
    }

    [Fact]
    public void A_card_reader_delivers_the_normalised_uid_as_a_card()
    {
        var code = ScanText.Interpret("0473670148", ScannerRole.Cards, CardNumberFormat.DecimalLittleEndian, out _);

        Assert.Equal(new ScannedCode(CredentialType.Card, "04A23B1C"), code);
    }

    [Fact]
    public void A_line_that_is_no_card_number_on_a_card_reader_is_refused_with_the_reason()
    {
        var code = ScanText.Interpret("S123456", ScannerRole.Cards, CardNumberFormat.DecimalBigEndian, out var reason);

        Assert.Null(code);
        Assert.Contains("'S' is not a digit", reason, StringComparison.Ordinal);
    }
}
