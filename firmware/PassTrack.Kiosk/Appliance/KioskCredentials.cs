using PassTrack.Contracts;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PassTrack.Kiosk.Appliance;

/// <summary>
/// The kiosk's identity, written at provisioning: its id, and either its secret or the district's enrolment token.
/// A kiosk with only a token chooses its own secret on first start, saves it (owner-only), and presents both; the
/// edge records it as pending until an administrator approves it.
/// </summary>
public sealed record KioskCredentials(string KioskId, string? Secret, string? EnrollmentToken)
{
    public static KioskCredentials Load(string path)
    {
        var credentials = JsonSerializer.Deserialize(File.ReadAllBytes(path), CredentialsJson.Default.KioskCredentials)
            ?? throw new InvalidDataException($"{path} is empty.");
        if (string.IsNullOrWhiteSpace(credentials.KioskId))
        {
            throw new InvalidDataException($"{path} has no kioskId.");
        }
        if (!string.IsNullOrEmpty(credentials.Secret))
        {
            return credentials;
        }
        if (string.IsNullOrEmpty(credentials.EnrollmentToken))
        {
            throw new InvalidDataException($"{path} has neither a secret nor an enrolment token.");
        }
        var enrolling = credentials with { Secret = WireText.NewSecret() };
        Save(path, enrolling);
        return enrolling;
    }

    public static void Save(string path, KioskCredentials credentials)
    {
        var temporary = path + ".new";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(credentials, CredentialsJson.Default.KioskCredentials));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.Move(temporary, path, overwrite: true);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(KioskCredentials))]
internal sealed partial class CredentialsJson : JsonSerializerContext;
