using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PassTrack.Contracts.Updates;

/// <summary>
/// What a signed kiosk update bundle says about itself. The signature covers the manifest's exact bytes; the manifest
/// pins the bundle's size and SHA-256, so a bundle that is truncated or altered anywhere on its way (the edge's disk,
/// the network) is refused before it is unpacked. The edge checks it on upload, the kiosk again before it installs.
/// </summary>
public sealed record UpdateManifest(string Version, long Size, string Sha256, long CreatedAtUnixMs);

public enum UpdateRefusal
{
    BadSignature,
    BadManifest,
    Truncated,
    WrongHash,
    UnsafeEntry,
}

/// <summary>An update refused; nothing installed changes.</summary>
public sealed class UpdateRefusedException(UpdateRefusal reason, string message) : Exception(message)
{
    public UpdateRefusal Reason { get; } = reason;
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(UpdateManifest))]
internal sealed partial class ManifestJson : JsonSerializerContext;

/// <summary>
/// ECDSA P-256 with SHA-256 over the manifest's bytes (the BCL has no Ed25519). The district keeps the private key;
/// the public key is written to every kiosk at flash time and to every edge's settings.
/// </summary>
public static class UpdateSignature
{
    public const int MaxManifestBytes = 4096;

    /// <summary>The manifest for a bundle file, its bytes as they will be signed.</summary>
    public static async Task<byte[]> ManifestForAsync(string version, Stream bundle, long createdAtUnixMs, CancellationToken cancellationToken)
    {
        if (!IsSafeVersion(version))
        {
            throw new ArgumentException($"'{version}' is not a version: letters, digits, '.', '-' and '+', at most 64", nameof(version));
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long size = 0;
        int n;
        while ((n = await bundle.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, n);
            size += n;
        }
        var manifest = new UpdateManifest(version, size, Convert.ToHexStringLower(hash.GetHashAndReset()), createdAtUnixMs);
        return JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJson.Default.UpdateManifest);
    }

    public static byte[] Sign(byte[] manifestJson, string privateKeyPem)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(privateKeyPem);
        return key.SignData(manifestJson, HashAlgorithmName.SHA256);
    }

    /// <summary>Checks the manifest's signature with the district's public key and reads it; refuses anything else.</summary>
    public static UpdateManifest Verify(byte[] manifestJson, byte[] signature, string publicKeyPem)
    {
        if (manifestJson.Length > MaxManifestBytes)
        {
            throw new UpdateRefusedException(UpdateRefusal.BadManifest, "the manifest is too large");
        }
        using var key = ECDsa.Create();
        key.ImportFromPem(publicKeyPem);
        if (!key.VerifyData(manifestJson, signature, HashAlgorithmName.SHA256))
        {
            throw new UpdateRefusedException(UpdateRefusal.BadSignature, "the manifest's signature does not match the district's key");
        }
        UpdateManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(manifestJson, ManifestJson.Default.UpdateManifest);
        }
        catch (JsonException e)
        {
            throw new UpdateRefusedException(UpdateRefusal.BadManifest, $"the manifest does not parse: {e.Message}");
        }
        if (manifest is null || !IsSafeVersion(manifest.Version) || manifest.Size <= 0 || manifest.Sha256 is not { Length: 64 })
        {
            throw new UpdateRefusedException(UpdateRefusal.BadManifest, "the manifest lacks a version, a size or a SHA-256");
        }
        return manifest;
    }

    /// <summary>
    /// Copies a bundle from <paramref name="source"/>, refusing it unless it is exactly the manifest's size and SHA-256:
    /// longer is refused as soon as it is, shorter and altered at the end. The caller drops what was written.
    /// </summary>
    public static async Task CopyCheckedAsync(Stream source, Stream destination, UpdateManifest manifest, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long total = 0;
        var buffer = new byte[81920];
        int n;
        while ((n = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += n;
            if (total > manifest.Size)
            {
                throw new UpdateRefusedException(UpdateRefusal.WrongHash, $"the bundle is longer than the manifest's {manifest.Size} bytes");
            }
            hash.AppendData(buffer, 0, n);
            await destination.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
        }
        if (total < manifest.Size)
        {
            throw new UpdateRefusedException(UpdateRefusal.Truncated, $"the bundle ended after {total} of {manifest.Size} bytes");
        }
        if (!string.Equals(Convert.ToHexStringLower(hash.GetHashAndReset()), manifest.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new UpdateRefusedException(UpdateRefusal.WrongHash, "the bundle's SHA-256 is not the manifest's");
        }
    }

    /// <summary>
    /// Why a kiosk will not unpack this tar entry, or null when it will: only plain files and folders, each inside the
    /// version's own folder (no links, devices, absolute paths or "../" out of it). The kiosk applies it as it unpacks;
    /// the provisioning tool applies it before signing, so a bundle no kiosk would take is never made.
    /// </summary>
    public static string? RefusedEntry(string name, TarEntryType type)
    {
        if (type is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.Directory))
        {
            return $"{name} is a {type}: kiosks unpack only plain files and folders";
        }
        // Resolved against a folder of its own, without touching the disk: where would the entry land?
        var root = Path.GetFullPath(Path.Combine(Path.GetTempPath(), "passtrack-bundle")) + Path.DirectorySeparatorChar;
        return Path.GetFullPath(Path.Combine(root, name)).StartsWith(root, StringComparison.Ordinal) && !Path.IsPathRooted(name)
            ? null
            : $"{name} reaches outside the version's folder";
    }

    /// <summary>A version is also a folder name on the kiosk: nothing that could climb out of its folder.</summary>
    public static bool IsSafeVersion(string? version) =>
        version is { Length: > 0 and <= 64 } && version.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '+') && version[0] != '.';
}
