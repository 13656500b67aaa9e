namespace PassTrack.Kiosk.Hardware.Simulated.Chips;

/// <summary>What the HD44780U's A00 character ROM shows for a code, read off the data sheet's table 4.</summary>
internal static class RomA00
{
    public static char Character(byte code) => code switch
    {
        0x5C => '¥',
        0x7E => '→',
        0x7F => '←',
        >= 0x20 and <= 0x7D => (char)code,
        0xA5 => '·',
        0xDF => '°',
        0xE1 => 'ä',
        0xE4 => 'µ',
        0xEE => 'ñ',
        0xEF => 'ö',
        0xF5 => 'ü',
        0xFD => '÷',
        0xFF => '█',
        _ => '\uFFFD',
    };
}
