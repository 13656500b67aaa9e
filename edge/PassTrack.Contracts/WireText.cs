using System.Security.Cryptography;

namespace PassTrack.Contracts;

/// <summary>Text from the wire made safe for a log line, and the one form every device and building secret takes.</summary>
public static class WireText
{
    /// <summary>At most <paramref name="max"/> characters, control characters shown as '?': a hostile id cannot forge log lines.</summary>
    public static string Printable(string? value, int max = 120) =>
        value is null ? "" : new string([.. value.Take(max).Select(c => char.IsControl(c) ? '?' : c)]);

    /// <summary>A new random secret: 256 bits, URL-safe base64 without padding.</summary>
    public static string NewSecret() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
