using System.Collections.Frozen;

namespace PassTrack.Kiosk.Hardware.Display;

/// <summary>
/// 5x8 CGRAM bitmaps for the Spanish characters the A00 ROM lacks (it has ñ and ü). Row 0 is the top, bit 4 the
/// left column; row 7 is the cursor line and stays blank. Lower-case letters keep the ROM's x-height (rows 2-6)
/// with the accent above; capitals are squeezed into rows 1-6 under a one-row accent.
/// </summary>
internal static class SpanishGlyphs
{
    public static FrozenDictionary<char, byte[]> Bitmaps { get; } = new Dictionary<char, byte[]>
    {
        ['á'] = [0b00010, 0b00100, 0b01110, 0b00001, 0b01111, 0b10001, 0b01111, 0],
        ['é'] = [0b00010, 0b00100, 0b01110, 0b10001, 0b11111, 0b10000, 0b01110, 0],
        ['í'] = [0b00010, 0b00100, 0b01100, 0b00100, 0b00100, 0b00100, 0b01110, 0],
        ['ó'] = [0b00010, 0b00100, 0b01110, 0b10001, 0b10001, 0b10001, 0b01110, 0],
        ['ú'] = [0b00010, 0b00100, 0b10001, 0b10001, 0b10001, 0b10011, 0b01101, 0],
        ['¿'] = [0b00100, 0b00000, 0b00100, 0b01000, 0b10000, 0b10001, 0b01110, 0],
        ['¡'] = [0b00100, 0b00000, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0],
        ['Á'] = [0b00010, 0b01110, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0],
        ['É'] = [0b00010, 0b11111, 0b10000, 0b11110, 0b10000, 0b10000, 0b11111, 0],
        ['Í'] = [0b00010, 0b01110, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110, 0],
        ['Ó'] = [0b00010, 0b01110, 0b10001, 0b10001, 0b10001, 0b10001, 0b01110, 0],
        ['Ú'] = [0b00010, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01110, 0],
        ['Ñ'] = [0b01101, 0b10010, 0b10001, 0b11001, 0b10101, 0b10011, 0b10001, 0],
        ['Ü'] = [0b01010, 0b00000, 0b10001, 0b10001, 0b10001, 0b10001, 0b01110, 0],
    }.ToFrozenDictionary();

    /// <summary>
    /// Which glyphs get the eight slots first when a screen wants more: those whose plain fallback misleads
    /// ("AÑO" read as "ANO", an opening "?" or "!") before accents a reader restores without thinking.
    /// </summary>
    public static int Rank(char glyph) => glyph switch
    {
        'Ñ' => 0,
        '¿' or '¡' => 1,
        _ => 2,
    };
}
