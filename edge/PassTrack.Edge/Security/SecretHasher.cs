using PassTrack.Contracts;
using System.Globalization;
using System.Security.Cryptography;

namespace PassTrack.Edge.Security;

/// <summary>
/// Hashes device secrets, enrolment tokens and API keys with PBKDF2-SHA256 and a random salt, and checks them in
/// constant time. Format: <c>pbkdf2-sha256$iterations$salt$hash</c> (base64).
/// </summary>
public static class SecretHasher
{
    // Device secrets and keys are long random strings, not passwords people choose: fewer rounds suffice, and
    // connects stay fast. Raise it here and old hashes keep verifying (the count is stored with each hash).
    public const int Iterations = 20_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Hash(string secret, int iterations = Iterations)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(secret, salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"pbkdf2-sha256${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    public static bool Verify(string? secret, string? stored)
    {
        if (string.IsNullOrEmpty(secret) || string.IsNullOrEmpty(stored))
        {
            return false;
        }
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != "pbkdf2-sha256" || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1_000)
        {
            return false;
        }
        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            var actual = Rfc2898DeriveBytes.Pbkdf2(secret, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>A new random secret: 32 bytes, URL-safe base64.</summary>
    public static string NewSecret() => WireText.NewSecret();
}
