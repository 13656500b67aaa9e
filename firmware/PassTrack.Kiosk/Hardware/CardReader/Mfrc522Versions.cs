namespace PassTrack.Kiosk.Hardware.CardReader;

/// <summary>What VersionReg (0x37) reads on the chips found on reader modules.</summary>
internal static class Mfrc522Versions
{
    /// <summary>A name for a known chip or clone; null for anything else, including a dead bus's 0x00 and 0xFF.</summary>
    public static string? Describe(byte version) => version switch
    {
        0x91 => "MFRC522 v1.0",
        0x92 => "MFRC522 v2.0",
        0x88 => "FM17522 (MFRC522 clone)",
        0x89 => "FM17522E (MFRC522 clone)",
        0xB2 => "FM17522 (MFRC522 clone)",
        0x12 => "MFRC522 counterfeit (0x12)",
        _ => null,
    };
}
