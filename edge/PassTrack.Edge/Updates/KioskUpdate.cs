using PassTrack.Contracts.Protocol;

namespace PassTrack.Edge.Updates;

/// <summary>
/// The update offered to one kiosk and how far it got: one row per kiosk, replaced by the next rollout that includes
/// it. <see cref="TokenHash"/> is the SHA-256 of the download token last sent to it (the token itself is never stored).
/// </summary>
public sealed class KioskUpdate
{
    public required string KioskId { get; set; }

    public required string Version { get; set; }

    /// <summary>Offered until the kiosk reports; then what it reported (<see cref="UpdateStage"/>).</summary>
    public required string State { get; set; }

    public string? Detail { get; set; }

    public required string OfferedBy { get; set; }

    public long OfferedAtUnixMs { get; set; }

    public long UpdatedAtUnixMs { get; set; }

    public string? TokenHash { get; set; }

    public long? TokenExpiresAtUnixMs { get; set; }

    public const string Offered = "Offered";
}
