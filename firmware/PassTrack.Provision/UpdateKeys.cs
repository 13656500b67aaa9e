using System.Security.Cryptography;

namespace PassTrack.Provision;

/// <summary>
/// The district's update key pair (ECDSA P-256, what <see cref="PassTrack.Contracts.Updates.UpdateSignature"/> signs
/// and checks with): the public key goes onto every kiosk and edge, the private key stays with district IT.
/// </summary>
internal static class UpdateKeys
{
    public const string PublicFileName = "update-key.pem";
    public const string PrivateFileName = "update-key.private.pem";

    private const string PublicLabel = "PUBLIC KEY";
    private const string NistP256Oid = "1.2.840.10045.3.1.7";

    /// <summary>A new key pair as PEM: SubjectPublicKeyInfo and PKCS#8.</summary>
    public static (string PublicPem, string PrivatePem) Generate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return (key.ExportSubjectPublicKeyInfoPem() + "\n", key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    /// <summary>
    /// The public key for a kiosk, re-exported so only the key itself goes onto the card (no stray text or CRs), or a
    /// problem. A private key is refused outright: a kiosk on a hallway wall must never hold what signs updates.
    /// </summary>
    public static string? ReadPublic(string path, string text, out string problem)
    {
        var labels = Labels(text);
        // Also by its armour alone: a private block that does not decode is still one not to copy anywhere.
        if (labels.Any(IsPrivateLabel) || text.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            problem = $"{path} holds a PRIVATE key: --update-key takes the district's update PUBLIC key ({PublicFileName}); "
                + "the private key must never go onto a kiosk";
            return null;
        }
        if (labels.Count != 1 || labels[0] != PublicLabel)
        {
            problem = $"{path} is not one PEM \"{PublicLabel}\" (the district's {PublicFileName}, from passtrack-provision keygen)";
            return null;
        }
        return Import(path, text, isPrivate: false, out problem);
    }

    /// <summary>The private key for signing, as PKCS#8 PEM, or a problem.</summary>
    public static string? ReadPrivate(string path, string text, out string problem)
    {
        var labels = Labels(text);
        if (labels.Contains("ENCRYPTED PRIVATE KEY"))
        {
            problem = $"{path} is an encrypted private key: give the unencrypted {PrivateFileName} from passtrack-provision keygen";
            return null;
        }
        if (labels.Count == 1 && labels[0] == PublicLabel)
        {
            problem = $"{path} is a public key: signing needs the district's private key ({PrivateFileName})";
            return null;
        }
        if (labels.Count != 1 || !IsPrivateLabel(labels[0]))
        {
            problem = $"{path} is not one PEM private key (the district's {PrivateFileName}, from passtrack-provision keygen)";
            return null;
        }
        return Import(path, text, isPrivate: true, out problem);
    }

    /// <summary>The key re-exported in its standard PEM form (nothing else from the file goes along), if it is P-256.</summary>
    private static string? Import(string path, string text, bool isPrivate, out string problem)
    {
        try
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(text);
            if (!IsP256(key))
            {
                problem = $"{path} is an ECDSA key on another curve: update keys are P-256";
                return null;
            }
            problem = "";
            return (isPrivate ? key.ExportPkcs8PrivateKeyPem() : key.ExportSubjectPublicKeyInfoPem()) + "\n";
        }
        catch (CryptographicException)
        {
            problem = $"{path} is not an ECDSA P-256 {(isPrivate ? "private" : "public")} key";
            return null;
        }
    }

    private static bool IsPrivateLabel(string label) => label.EndsWith("PRIVATE KEY", StringComparison.Ordinal);

    private static bool IsP256(ECDsa key)
    {
        var curve = key.ExportParameters(includePrivateParameters: false).Curve;
        return curve.IsNamed && (curve.Oid.Value == NistP256Oid || curve.Oid.FriendlyName is "nistP256" or "ECDSA_P256");
    }

    /// <summary>Every PEM block's label, in order, but "EC PARAMETERS", which openssl ecparam writes before a key.</summary>
    private static List<string> Labels(string text)
    {
        var labels = new List<string>();
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label].ToString();
            if (label != "EC PARAMETERS")
            {
                labels.Add(label);
            }
            rest = rest[fields.Location.End..];
        }
        return labels;
    }
}
