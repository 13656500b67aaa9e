using Microsoft.EntityFrameworkCore;
using PassTrack.Edge.Kiosks;
using PassTrack.Edge.Security;

namespace PassTrack.Edge.Store;

/// <summary>
/// The building's store: its starting configuration, the append-only event log every state change is in, the scans
/// already answered, the kiosk registry, API keys and the audit log. SQLite in WAL mode with synchronous=FULL.
/// </summary>
public sealed class EdgeDb(DbContextOptions<EdgeDb> options) : DbContext(options)
{
    public DbSet<BuildingSetupRow> Setup => Set<BuildingSetupRow>();

    public DbSet<EventRow> Events => Set<EventRow>();

    public DbSet<ScanRow> Scans => Set<ScanRow>();

    public DbSet<KioskDevice> KioskDevices => Set<KioskDevice>();

    public DbSet<KioskStatusChange> KioskStatusHistory => Set<KioskStatusChange>();

    public DbSet<Updates.KioskUpdate> KioskUpdates => Set<Updates.KioskUpdate>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<AuditEntry> Audit => Set<AuditEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<BuildingSetupRow>(e =>
        {
            e.ToTable("BuildingSetup");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
        });
        modelBuilder.Entity<EventRow>(e =>
        {
            e.ToTable("Events");
            e.HasKey(x => x.Sequence);
            e.Property(x => x.Sequence).ValueGeneratedNever();
            // Every decision writes here, so only what queries need is indexed, and only the rows they look for:
            // a student's or a pass's history, a time range, the encounter log.
            e.HasIndex(x => x.StudentId).HasFilter("\"StudentId\" IS NOT NULL");
            e.HasIndex(x => x.PassId).HasFilter("\"PassId\" IS NOT NULL");
            e.HasIndex(x => x.AtUnixMs);
            e.HasIndex(x => x.Sequence, "IX_Events_EncounterLog").HasFilter("\"Type\" = 'EncounterAttemptBlocked'");
        });
        modelBuilder.Entity<ScanRow>(e =>
        {
            e.ToTable("Scans");
            // Appended in the order received and found by time (see ScanLedger): an index by kiosk and scan id
            // would take a random page write per scan in every commit.
            e.HasKey(x => x.Id);
            // The rowid itself, given by SQLite on insert (the writer inserts, never EF); AUTOINCREMENT would add a
            // write to sqlite_sequence in every commit.
            e.Property(x => x.Id).ValueGeneratedNever();
            e.HasIndex(x => x.ReceivedAtUnixMs);
        });
        modelBuilder.Entity<KioskDevice>(e =>
        {
            e.ToTable("KioskDevices");
            e.HasKey(x => x.Id);
            e.Property(x => x.Status).HasConversion<string>();
        });
        modelBuilder.Entity<KioskStatusChange>(e =>
        {
            e.ToTable("KioskStatusHistory");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.KioskId, x.AtUnixMs });
        });
        modelBuilder.Entity<Updates.KioskUpdate>(e =>
        {
            e.ToTable("KioskUpdates");
            e.HasKey(x => x.KioskId);
        });
        modelBuilder.Entity<ApiKey>(e =>
        {
            e.ToTable("ApiKeys");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.Prefix).IsUnique();
        });
        modelBuilder.Entity<AuditEntry>(e =>
        {
            e.ToTable("Audit");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.AtUnixMs);
        });
    }
}

/// <summary>The configuration the building started from; the event log holds every change since.</summary>
public sealed class BuildingSetupRow
{
    public int Id { get; set; } = 1;

    public required string BuildingId { get; set; }

    public required string ConfigurationJson { get; set; }

    public long CreatedAtUnixMs { get; set; }
}

/// <summary>One event of the building's log. <see cref="Sequence"/> is the building's own gap-free number.</summary>
public sealed class EventRow
{
    public long Sequence { get; set; }

    public required string Type { get; set; }

    public long AtUnixMs { get; set; }

    public string? StudentId { get; set; }

    public long? PassId { get; set; }

    public required string Json { get; set; }
}

/// <summary>A scan already decided, with the reply the kiosk was sent: the key to applying each scan exactly once.</summary>
public sealed class ScanRow
{
    public long Id { get; set; }

    public required string KioskId { get; set; }

    public required string ScanId { get; set; }

    public required byte[] Reply { get; set; }

    /// <summary>The building's last event sequence when this scan's decision was committed.</summary>
    public long Sequence { get; set; }

    public long ReceivedAtUnixMs { get; set; }
}
