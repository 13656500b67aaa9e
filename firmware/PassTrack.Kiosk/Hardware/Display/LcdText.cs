using System.Collections.Frozen;

namespace PassTrack.Kiosk.Hardware.Display;

/// <summary>
/// Text to the HD44780U's character codes (ROM A00, the Japanese ROM every common module carries): ASCII
/// directly, the few Latin letters the ROM has by their codes, Spanish glyphs from CGRAM, and the plain letter or
/// '?' for anything else.
/// </summary>
internal static class LcdText
{
    public const byte Unknown = (byte)'?';

    // A00 has no backslash (0x5C is ¥) and no tilde (0x7E and 0x7F are arrows); these are its Latin extras.
    private static readonly FrozenDictionary<char, byte> RomExtras = new Dictionary<char, byte>
    {
        ['ñ'] = 0xEE,
        ['ü'] = 0xF5,
        ['ä'] = 0xE1,
        ['ö'] = 0xEF,
        ['°'] = 0xDF,
        ['·'] = 0xA5,
        ['¥'] = 0x5C,
        ['→'] = 0x7E,
        ['←'] = 0x7F,
        ['µ'] = 0xE4,
        ['÷'] = 0xFD,
        ['█'] = 0xFF,
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<char, char> PlainLetters = BuildPlainLetters();

    /// <summary>
    /// One line as the characters its cells will show: combining accents composed, "…" spelled "...", dashes and
    /// typographic quotes made plain, then cut or padded with spaces to <paramref name="columns"/>.
    /// </summary>
    public static char[] Layout(string? line, int columns)
    {
        var cells = new List<char>(columns);
        var text = line ?? "";
        for (var i = 0; i < text.Length && cells.Count < columns; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                i += i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 1 : 0;
                cells.Add('?');
                continue;
            }
            while (i + 1 < text.Length && IsCombiningMark(text[i + 1]))
            {
                c = Compose(c, text[++i]);
            }
            switch (c)
            {
                case '…':
                    cells.AddRange("...");
                    break;
                case '—' or '–' or '‐' or '‑' or '−':
                    cells.Add('-');
                    break;
                case '“' or '”' or '„' or '«' or '»':
                    cells.Add('"');
                    break;
                case '‘' or '’' or '‚':
                    cells.Add('\'');
                    break;
                case '\t' or '\u00A0':
                    cells.Add(' ');
                    break;
                default:
                    cells.Add(c);
                    break;
            }
        }
        var laidOut = new char[columns];
        Array.Fill(laidOut, ' ');
        cells.CopyTo(0, laidOut, 0, Math.Min(cells.Count, columns));
        return laidOut;
    }

    public static bool NeedsGlyph(char c) => SpanishGlyphs.Bitmaps.ContainsKey(c);

    /// <summary>The ROM code that shows <paramref name="c"/>, or its plain letter, or '?'.</summary>
    public static byte RomCode(char c)
    {
        if (c is >= ' ' and <= '}' and not '\\')
        {
            return (byte)c;
        }
        if (RomExtras.TryGetValue(c, out var code))
        {
            return code;
        }
        return PlainLetters.TryGetValue(c, out var plain) ? RomCode(plain) : Unknown;
    }

    private static bool IsCombiningMark(char c) => c is >= '\u0300' and <= '\u036F';

    // The runtime is built with invariant globalisation, where string.Normalize does not compose: do the few
    // compositions Spanish needs here, and drop any other mark.
    private static char Compose(char letter, char mark) => (letter, mark) switch
    {
        ('a', '\u0301') => 'á',
        ('e', '\u0301') => 'é',
        ('i', '\u0301') => 'í',
        ('o', '\u0301') => 'ó',
        ('u', '\u0301') => 'ú',
        ('A', '\u0301') => 'Á',
        ('E', '\u0301') => 'É',
        ('I', '\u0301') => 'Í',
        ('O', '\u0301') => 'Ó',
        ('U', '\u0301') => 'Ú',
        ('n', '\u0303') => 'ñ',
        ('N', '\u0303') => 'Ñ',
        ('u', '\u0308') => 'ü',
        ('U', '\u0308') => 'Ü',
        _ => letter,
    };

    private static FrozenDictionary<char, char> BuildPlainLetters()
    {
        (string Accented, char Plain)[] groups =
        [
            ("àáâãåā", 'a'), ("ÀÁÂÃÄÅĀ", 'A'), ("çć", 'c'), ("ÇĆ", 'C'), ("èéêëē", 'e'), ("ÈÉÊËĒ", 'E'),
            ("ìíîïī", 'i'), ("ÌÍÎÏĪ", 'I'), ("Ñ", 'N'), ("òóôõøō", 'o'), ("ÒÓÔÕÖØŌ", 'O'), ("ùúûū", 'u'),
            ("ÙÚÛÜŪ", 'U'), ("ýÿ", 'y'), ("Ý", 'Y'), ("¿", '?'), ("¡", '!'),
        ];
        return groups
            .SelectMany(g => g.Accented.Select(c => KeyValuePair.Create(c, g.Plain)))
            .ToFrozenDictionary();
    }
}
