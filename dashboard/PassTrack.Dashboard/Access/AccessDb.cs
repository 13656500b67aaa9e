using PassTrack.Contracts.District;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace PassTrack.Dashboard.Access;

/// <summary>The roles a district user holds, each scoped to buildings (and for teachers, rooms): the names the edges know.</summary>
public static class Roles
{
    public const string Superadmin = DistrictRoles.Superadmin;
    public const string Admin = DistrictRoles.Admin;
    public const string Teacher = DistrictRoles.Teacher;
    public const string Staff = DistrictRoles.Staff;
    public const string Counselor = DistrictRoles.Counselor;
    public const string Nurse = DistrictRoles.Nurse;
    public const string Substitute = DistrictRoles.Substitute;

    public static IReadOnlyList<string> All => DistrictRoles.All;
}

/// <summary>A dashboard user. A temporary password must be changed at the first sign-in.</summary>
public sealed class DistrictUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    public bool MustChangePassword { get; set; }
}

/// <summary>Where a user's role applies: a building, and for a teacher or substitute a room in it.</summary>
public sealed class UserScope
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    public required string BuildingId { get; set; }

    public string? RoomId { get; set; }
}

/// <summary>Users, roles and their scopes, in the district store beside the federation's tables (its own migrations history).</summary>
public sealed class AccessDb(DbContextOptions<AccessDb> options) : IdentityDbContext<DistrictUser>(options)
{
    public const string MigrationsTable = "__AccessMigrations";

    public DbSet<UserScope> Scopes => Set<UserScope>();

    /// <summary>Every view of student data: see <see cref="Audit.AuditLog"/>.</summary>
    public DbSet<Audit.AuditEntry> Audit => Set<Audit.AuditEntry>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<DistrictUser>(u => u.Property(x => x.DisplayName).HasMaxLength(200));
        builder.Entity<UserScope>(s =>
        {
            s.ToTable("UserScopes");
            s.Property(x => x.UserId).HasMaxLength(450);
            s.Property(x => x.BuildingId).HasMaxLength(64);
            s.Property(x => x.RoomId).HasMaxLength(64);
            s.HasIndex(x => new { x.UserId, x.BuildingId, x.RoomId }).IsUnique();
        });
        builder.Entity<Audit.AuditEntry>(a =>
        {
            a.ToTable("AuditLog");
            a.Property(x => x.UserId).HasMaxLength(450);
            a.Property(x => x.UserName).HasMaxLength(256);
            a.Property(x => x.Role).HasMaxLength(64);
            a.Property(x => x.Address).HasMaxLength(64);
            a.Property(x => x.BuildingId).HasMaxLength(64);
            a.Property(x => x.What).HasMaxLength(200);
            a.HasIndex(x => x.AtUnixMs);
            a.HasIndex(x => new { x.UserId, x.AtUnixMs });
            a.HasMany(x => x.Students).WithOne().HasForeignKey(x => x.EntryId);
        });
        builder.Entity<Audit.AuditStudent>(a =>
        {
            a.ToTable("AuditLogStudents");
            a.HasKey(x => new { x.EntryId, x.BuildingId, x.StudentId });
            a.Property(x => x.BuildingId).HasMaxLength(64);
            a.Property(x => x.StudentId).HasMaxLength(64);
            // Who saw this student's records: the question a family's FERPA request asks.
            a.HasIndex(x => new { x.BuildingId, x.StudentId });
        });
    }
}
