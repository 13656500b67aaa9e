using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PassTrack.Edge.Store;

namespace PassTrack.Edge.Security;

/// <summary>A key that was presented, found by its prefix, not revoked and matching its stored hash.</summary>
public sealed record VerifiedKey(long Id, string Name, IReadOnlyList<string> Scopes);

/// <summary>A key just made: the row stored and the key itself, which is shown once and never stored.</summary>
public sealed record CreatedKey(ApiKey Row, string Key);

/// <summary>
/// API keys in the store. A key reads <c>pt_&lt;prefix&gt;_&lt;secret&gt;</c>: the 8-character prefix finds the row,
/// the PBKDF2 hash of the whole key proves it. Revocation is checked on every request.
/// </summary>
public sealed class ApiKeyStore(IServiceScopeFactory scopes, TimeProvider time)
{
    public const int PrefixLength = 8;
    private const string PrefixAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const int MaxKeyLength = 200;
    private const int MaxCached = 1_000;

    // PBKDF2 costs milliseconds by design; a key already proven against the same stored hash is not hashed again.
    // Keyed by a SHA-256 of the presented key, so memory never holds a usable key.
    private readonly ConcurrentDictionary<string, string> _proven = new(StringComparer.Ordinal);

    /// <summary>The prefix of a well-formed key, or null.</summary>
    public static string? PrefixOf(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > MaxKeyLength || !key.StartsWith("pt_", StringComparison.Ordinal)
            || key.Length < 3 + PrefixLength + 2 || key[3 + PrefixLength] != '_')
        {
            return null;
        }
        var prefix = key.Substring(3, PrefixLength);
        var secret = key.AsSpan(4 + PrefixLength);
        foreach (var c in prefix)
        {
            if (!PrefixAlphabet.Contains(c, StringComparison.Ordinal))
            {
                return null;
            }
        }
        foreach (var c in secret)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return null;
            }
        }
        return prefix;
    }

    public async Task<VerifiedKey?> VerifyAsync(string presented, CancellationToken cancellationToken)
    {
        if (PrefixOf(presented) is not { } prefix)
        {
            return null;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EdgeDb>();
        var row = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Prefix == prefix, cancellationToken);
        if (row is null || row.RevokedAtUnixMs is not null)
        {
            return null;
        }
        var fingerprint = Fingerprint(presented);
        if (!(_proven.TryGetValue(fingerprint, out var hash) && hash == row.KeyHash))
        {
            if (!SecretHasher.Verify(presented, row.KeyHash))
            {
                return null;
            }
            if (_proven.Count >= MaxCached)
            {
                _proven.Clear();
            }
            _proven[fingerprint] = row.KeyHash;
        }
        return new VerifiedKey(row.Id, row.Name, Security.Scopes.Parse(row.Scopes));
    }

    /// <summary>Makes a key with the given scopes, stores its hash and returns the key (shown once).</summary>
    public async Task<CreatedKey> CreateAsync(string name, IEnumerable<string> scopeNames, CancellationToken cancellationToken = default)
    {
        var (prefix, key) = NewKey();
        var row = new ApiKey
        {
            Name = name,
            Prefix = prefix,
            KeyHash = SecretHasher.Hash(key),
            Scopes = string.Join(' ', scopeNames),
            CreatedAtUnixMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EdgeDb>();
        db.ApiKeys.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedKey(row, key);
    }

    /// <summary>Revokes every unrevoked key with this name; returns how many.</summary>
    public async Task<int> RevokeAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EdgeDb>();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return await db.ApiKeys.Where(k => k.Name == name && k.RevokedAtUnixMs == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAtUnixMs, now), cancellationToken);
    }

    /// <summary>
    /// On a new store, installs the all-scopes "bootstrap" key whose hash the installer configured
    /// (<c>&lt;prefix&gt;:&lt;hash&gt;</c>, as <c>create-api-key --bootstrap</c> prints it). Returns whether it did.
    /// </summary>
    public async Task<bool> EnsureBootstrapAsync(string? setting, CancellationToken cancellationToken)
    {
        if (ParseBootstrap(setting) is not var (prefix, hash))
        {
            return false;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EdgeDb>();
        if (await db.ApiKeys.AnyAsync(cancellationToken))
        {
            return false;
        }
        db.ApiKeys.Add(new ApiKey
        {
            Name = "bootstrap",
            Prefix = prefix,
            KeyHash = hash,
            Scopes = string.Join(' ', Security.Scopes.All),
            CreatedAtUnixMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
        });
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>A new key and the setting that installs it as the bootstrap key; nothing is stored.</summary>
    public static (string Key, string Setting) NewBootstrap()
    {
        var (prefix, key) = NewKey();
        return (key, $"{prefix}:{SecretHasher.Hash(key)}");
    }

    public static (string Prefix, string Hash)? ParseBootstrap(string? setting)
    {
        if (string.IsNullOrWhiteSpace(setting))
        {
            return null;
        }
        var colon = setting.IndexOf(':', StringComparison.Ordinal);
        if (colon != PrefixLength || PrefixOf($"pt_{setting[..colon]}_x") is null
            || !setting[(colon + 1)..].StartsWith("pbkdf2-sha256$", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("Edge:BootstrapApiKeyHash must read '<8-character prefix>:pbkdf2-sha256$...' as printed by 'create-api-key --bootstrap'.");
        }
        return (setting[..colon], setting[(colon + 1)..]);
    }

    private static (string Prefix, string Key) NewKey()
    {
        var prefix = RandomNumberGenerator.GetString(PrefixAlphabet, PrefixLength);
        return (prefix, $"pt_{prefix}_{SecretHasher.NewSecret()}");
    }

    private static string Fingerprint(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
