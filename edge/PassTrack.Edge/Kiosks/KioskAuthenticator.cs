using PassTrack.Contracts;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using PassTrack.Contracts.Protocol;
using PassTrack.Edge.Security;

namespace PassTrack.Edge.Kiosks;

/// <summary>What a connecting device presented: its MQTT client id, user name and password, and CONNECT user properties.</summary>
public sealed record KioskLogin(string? ClientId, string? UserName, string? Password, string? EnrollmentToken, string? Firmware, string? Address);

public enum KioskAdmission
{
    /// <summary>An approved kiosk: it may scan, and its scans count once it is bound to a room.</summary>
    Approved,
    /// <summary>Enrolled, waiting for an administrator: it may connect, and its scans are answered "not set up".</summary>
    Pending,
    Refused,
}

/// <summary>The verdict on a login; <see cref="Reason"/> is one of <see cref="RefusalReasons"/> when refused.</summary>
public sealed record LoginResult(KioskAdmission Admission, string? Reason, string Detail)
{
    public bool Accepted => Admission != KioskAdmission.Refused;
}

/// <summary>
/// Checks a kiosk's id and secret against the device registry, and enrols an unknown device that presents the
/// district's enrolment token. PBKDF2 is deliberately slow, so a secret once verified is remembered by its SHA-256
/// (with the stored hash it matched, so a new secret is checked afresh): a reconnect storm of every kiosk in the
/// building costs microseconds each. Slow checks run a few at a time, and a repeated wrong secret is remembered too,
/// so guessing cannot starve honest kiosks of CPU.
/// </summary>
public sealed class KioskAuthenticator(KioskRegistry registry, KioskRefusals refusals, IOptions<EdgeOptions> options, IOptions<KioskOptions> kioskOptions) : IDisposable
{
    private const int MaxRemembered = 20_000;

    private readonly ConcurrentDictionary<string, Verified> _verified = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _failed = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slowChecks = new(Math.Max(1, Environment.ProcessorCount));

    public async Task<LoginResult> LoginAsync(KioskLogin login, CancellationToken cancellationToken = default)
    {
        if (!Topics.IsValidKioskId(login.ClientId) || !string.Equals(login.ClientId, login.UserName, StringComparison.Ordinal))
        {
            return Refuse(null, RefusalReasons.BadIdentity, $"client id '{WireText.Printable(login.ClientId, 64)}' must be a kiosk id and equal the user name '{WireText.Printable(login.UserName, 64)}' ({login.Address})");
        }
        var id = login.ClientId!;
        if (string.IsNullOrEmpty(login.Password))
        {
            return Refuse(id, RefusalReasons.WrongSecret, $"no secret given ({login.Address})");
        }

        var device = await registry.FindDeviceAsync(id, cancellationToken);
        if (device is null)
        {
            return await EnrollAsync(id, login, cancellationToken);
        }
        if (!await VerifyAsync(id, login.Password, device.SecretHash, cancellationToken))
        {
            return Refuse(id, RefusalReasons.WrongSecret, $"wrong secret ({login.Address})");
        }
        return device.Status switch
        {
            DeviceStatus.Approved => new LoginResult(KioskAdmission.Approved, null, "approved"),
            DeviceStatus.Pending => new LoginResult(KioskAdmission.Pending, null, "pending approval"),
            _ => Refuse(id, RefusalReasons.Revoked, $"revoked kiosk tried to connect ({login.Address})"),
        };
    }

    private async Task<LoginResult> EnrollAsync(string id, KioskLogin login, CancellationToken cancellationToken)
    {
        var tokenHash = options.Value.Mqtt.EnrollmentTokenHash;
        if (string.IsNullOrEmpty(login.EnrollmentToken))
        {
            return Refuse(id, RefusalReasons.UnknownDevice, $"unknown device, no enrolment token ({login.Address})");
        }
        if (string.IsNullOrEmpty(tokenHash) || !await VerifyAsync("$enrollment", login.EnrollmentToken, tokenHash, cancellationToken))
        {
            return Refuse(id, RefusalReasons.EnrollmentRefused, $"unknown device with an invalid enrolment token ({login.Address})");
        }
        if (login.Password!.Length < kioskOptions.Value.MinSecretLength)
        {
            return Refuse(id, RefusalReasons.EnrollmentRefused, $"enrolment secret shorter than {kioskOptions.Value.MinSecretLength} characters ({login.Address})");
        }
        if (await registry.EnrollAsync(id, login.Password, login.Firmware, login.Address, cancellationToken))
        {
            return new LoginResult(KioskAdmission.Pending, null, "enrolled, pending approval");
        }
        // Another connection enrolled this id a moment ago: it is now a known device like any other.
        var device = await registry.FindDeviceAsync(id, cancellationToken);
        return device is not null && device.Status == DeviceStatus.Pending && await VerifyAsync(id, login.Password, device.SecretHash, cancellationToken)
            ? new LoginResult(KioskAdmission.Pending, null, "pending approval")
            : Refuse(id, RefusalReasons.WrongSecret, $"wrong secret ({login.Address})");
    }

    private async Task<bool> VerifyAsync(string id, string secret, string storedHash, CancellationToken cancellationToken)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        if (_verified.TryGetValue(id, out var known) && string.Equals(known.StoredHash, storedHash, StringComparison.Ordinal))
        {
            if (CryptographicOperations.FixedTimeEquals(known.Digest, digest))
            {
                return true;
            }
        }
        var failedKey = $"{id}\n{storedHash}\n{Convert.ToBase64String(digest)}";
        if (_failed.ContainsKey(failedKey))
        {
            return false;
        }

        await _slowChecks.WaitAsync(cancellationToken);
        bool ok;
        try
        {
            ok = SecretHasher.Verify(secret, storedHash);
        }
        finally
        {
            _slowChecks.Release();
        }

        if (_verified.Count >= MaxRemembered)
        {
            _verified.Clear();
        }
        if (_failed.Count >= MaxRemembered)
        {
            _failed.Clear();
        }
        if (ok)
        {
            _verified[id] = new Verified(storedHash, digest);
        }
        else
        {
            _failed.TryAdd(failedKey, 0);
        }
        return ok;
    }

    private LoginResult Refuse(string? kioskId, string reason, string detail)
    {
        refusals.Record(kioskId, reason, detail);
        return new LoginResult(KioskAdmission.Refused, reason, detail);
    }


    public void Dispose() => _slowChecks.Dispose();

    private sealed record Verified(string StoredHash, byte[] Digest);
}
