using PassTrack.Contracts.Protocol;

namespace PassTrack.Kiosk.Hardware.Scanners;

/// <summary>One line a scanner delivered, or why it was thrown away.</summary>
public readonly record struct ScanLine(string Text, string? DroppedBecause = null)
{
    public static ScanLine Dropped(string reason) => new("", reason);
}

/// <summary>What a scanner's line means, by the scanner's role.</summary>
public static class ScanText
{
    private static readonly char[] Padding = [.. Enumerable.Range(0, 33).Select(c => (char)c), '\x7f'];

    /// <summary>Trims spaces and control characters (some scanners wrap codes in STX/ETX or send a stray tab).</summary>
    public static string Clean(string? raw) => raw is null ? "" : raw.Trim(Padding).Trim();

    /// <summary>The credential a line stands for, or null with the reason it is not one.</summary>
    public static ScannedCode? Interpret(string line, ScannerRole role, CardNumberFormat format, out string? reason)
    {
        var text = Clean(line);
        if (text.Length == 0)
        {
            reason = "empty line";
            return null;
        }

        if (role == ScannerRole.Codes)
        {
            reason = null;
            return new ScannedCode(CredentialType.Barcode, text);
        }

        if (CardNumbers.TryNormalise(text, format, out var uid, out reason))
        {
            return new ScannedCode(CredentialType.Card, uid.Hex);
        }

        return null;
    }
}
