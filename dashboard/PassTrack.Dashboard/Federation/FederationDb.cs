using Microsoft.EntityFrameworkCore;

namespace PassTrack.Dashboard.Federation;

/// <summary>
/// The district's copy of every building's event log, and the buildings allowed to send it. Its own context and
/// migrations history, beside the sign-in store in the same file.
/// </summary>
public sealed class FederationDb(DbContextOptions<FederationDb> options) : DbContext(options)
{
    public const string MigrationsTable = "__FederationMigrations";

    public DbSet<DistrictBuilding> Buildings => Set<DistrictBuilding>();

    public DbSet<DistrictEvent> Events => Set<DistrictEvent>();

    public DbSet<DistrictBuildingSetup> Setups => Set<DistrictBuildingSetup>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<DistrictBuilding>(b =>
        {
            b.ToTable("Buildings");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).HasMaxLength(64);
            b.Property(x => x.Name).HasMaxLength(200);
            b.Property(x => x.SecretHash).HasMaxLength(64);
        });
        modelBuilder.Entity<DistrictBuildingSetup>(b =>
        {
            b.ToTable("BuildingSetups");
            b.HasKey(x => x.BuildingId);
            b.Property(x => x.BuildingId).HasMaxLength(64);
            b.HasOne<DistrictBuilding>().WithOne().HasForeignKey<DistrictBuildingSetup>(x => x.BuildingId);
        });
        modelBuilder.Entity<DistrictEvent>(e =>
        {
            e.ToTable("Events");
            // (building, sequence) is the idempotency key: a batch delivered twice inserts nothing the second time.
            e.HasKey(x => new { x.BuildingId, x.Sequence });
            e.Property(x => x.BuildingId).HasMaxLength(64);
            e.Property(x => x.Type).HasMaxLength(64);
            e.HasIndex(x => new { x.BuildingId, x.AtUnixMs });
        });
    }
}

/// <summary>A building registered with the district: its edge signs in with the id and a secret (only its hash is kept).</summary>
public sealed class DistrictBuilding
{
    public required string Id { get; set; }

    public required string Name { get; set; }

    /// <summary>SHA-256 of the 256-bit random secret, hex: a secret that long needs no slow hash.</summary>
    public required string SecretHash { get; set; }

    public bool Revoked { get; set; }

    /// <summary>Every event up to this one is held, without a gap.</summary>
    public long Through { get; set; }

    /// <summary>The edge's newest sequence number as it last said: how far the district is behind.</summary>
    public long EdgeLastSequence { get; set; }

    public bool Online { get; set; }

    public long? LastSeenAtUnixMs { get; set; }

    public long RegisteredAtUnixMs { get; set; }
}

/// <summary>
/// A building's starting configuration as its edge sent it (JSON, see <c>EventJson</c>): with the log it makes the
/// district's replica of the building. A table of its own: it is megabytes, and the building's row is read per batch.
/// </summary>
public sealed class DistrictBuildingSetup
{
    public required string BuildingId { get; set; }

    public required string Json { get; set; }

    /// <summary>When the edge's store, and so this setup, was made.</summary>
    public long CreatedAtUnixMs { get; set; }
}

/// <summary>One event of a building's log, as the edge stored it.</summary>
public sealed class DistrictEvent
{
    public required string BuildingId { get; set; }

    public long Sequence { get; set; }

    public required string Type { get; set; }

    public long AtUnixMs { get; set; }

    public required string Json { get; set; }

    public long ReceivedAtUnixMs { get; set; }
}
