namespace PassTrack.Edge.Security;

/// <summary>
/// A key for staff systems (the dashboard, scripts) until user sign-in arrives. Only a hash is stored; the key is
/// shown once when created. <see cref="Prefix"/> (the first characters) finds the row without scanning.
/// </summary>
public sealed class ApiKey
{
    public long Id { get; set; }

    public required string Name { get; set; }

    public required string Prefix { get; set; }

    public required string KeyHash { get; set; }

    /// <summary>Space-separated scopes, see <see cref="Scopes"/>.</summary>
    public required string Scopes { get; set; }

    public long CreatedAtUnixMs { get; set; }

    public long? RevokedAtUnixMs { get; set; }
}

/// <summary>Who read or changed what, from where. Every read of student data is written here.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public long AtUnixMs { get; set; }

    public required string Actor { get; set; }

    public required string Action { get; set; }

    public string? Target { get; set; }

    public string? Address { get; set; }
}
