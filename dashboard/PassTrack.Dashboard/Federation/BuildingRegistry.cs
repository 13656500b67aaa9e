using PassTrack.Contracts;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PassTrack.Contracts.District;

namespace PassTrack.Dashboard.Federation;

/// <summary>A building's registration: the secret is shown once, here, and never stored.</summary>
public sealed record RegisteredBuilding(string Id, string Name, string Secret);

/// <summary>Registers buildings and checks their edges' credentials on the district broker.</summary>
public sealed class BuildingRegistry(IServiceScopeFactory scopes, TimeProvider time)
{
    /// <summary>Registers a building, or gives an existing one a new secret (the old one stops working).</summary>
    public async Task<RegisteredBuilding> RegisterAsync(string id, string name, CancellationToken cancellationToken = default)
    {
        if (!DistrictTopics.IsValidBuildingId(id))
        {
            throw new ArgumentException("A building id is lower-case letters, digits and dashes, at most 64 characters.", nameof(id));
        }
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var secret = WireText.NewSecret();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FederationDb>();
        var building = await db.Buildings.FindAsync([id], cancellationToken);
        if (building is null)
        {
            building = new DistrictBuilding { Id = id, Name = name.Trim(), SecretHash = Hash(secret), RegisteredAtUnixMs = time.GetUtcNow().ToUnixTimeMilliseconds() };
            db.Buildings.Add(building);
        }
        else
        {
            building.Name = name.Trim();
            building.SecretHash = Hash(secret);
            building.Revoked = false;
        }
        await db.SaveChangesAsync(cancellationToken);
        return new RegisteredBuilding(id, building.Name, secret);
    }

    /// <summary>True when <paramref name="secret"/> is the registered building's current secret.</summary>
    public async Task<bool> VerifyAsync(string? id, string? secret, CancellationToken cancellationToken = default)
    {
        if (!DistrictTopics.IsValidBuildingId(id) || string.IsNullOrEmpty(secret) || secret.Length > 256)
        {
            return false;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FederationDb>();
        var stored = await db.Buildings.AsNoTracking().Where(b => b.Id == id && !b.Revoked).Select(b => b.SecretHash).FirstOrDefaultAsync(cancellationToken);
        return stored is not null
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored), Encoding.ASCII.GetBytes(Hash(secret)));
    }

    internal static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
