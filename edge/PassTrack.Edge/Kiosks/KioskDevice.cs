namespace PassTrack.Edge.Kiosks;

public enum DeviceStatus
{
    /// <summary>Presented a valid enrolment token; waits for an administrator.</summary>
    Pending,
    Approved,
    Revoked,
}

/// <summary>A kiosk's identity at this edge: its id, the hash of its own secret, and what it last told us.</summary>
public sealed class KioskDevice
{
    public required string Id { get; set; }

    /// <summary>PBKDF2-SHA256 of the device's secret (see <see cref="Security.SecretHasher"/>); the secret itself is never stored.</summary>
    public required string SecretHash { get; set; }

    public DeviceStatus Status { get; set; }

    public string? RoomId { get; set; }

    public string? Firmware { get; set; }

    public bool Online { get; set; }

    public long EnrolledAtUnixMs { get; set; }

    public long? ApprovedAtUnixMs { get; set; }

    public string? ApprovedBy { get; set; }

    public long? LastSeenAtUnixMs { get; set; }

    public int? QueuedScans { get; set; }

    public string? ReaderHealth { get; set; }

    public long? UptimeSeconds { get; set; }

    public string? LastAddress { get; set; }
}

/// <summary>One change of a kiosk's connection or registration state, kept as history.</summary>
public sealed class KioskStatusChange
{
    public long Id { get; set; }

    public required string KioskId { get; set; }

    public required string State { get; set; }

    public long AtUnixMs { get; set; }

    public string? Detail { get; set; }
}
