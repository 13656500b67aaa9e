namespace PassTrack.Rules.Configuration;

/// <summary>A wing or floor. <paramref name="Nearby"/> lists the other sections closest first, for rerouting.</summary>
public sealed record Section(SectionId Id, string Name, IReadOnlyList<SectionId> Nearby);

/// <summary>A classroom (or any room with a kiosk). <paramref name="Teachers"/> are staff ids who approve its passes.</summary>
public sealed record Room(
    RoomId Id,
    string Name,
    SectionId Section,
    IReadOnlyList<string> Teachers,
    int? MaxOut = null,
    bool TardyMode = false);

public enum KioskStatus
{
    Pending,
    Approved,
    Revoked,
}

/// <summary>A wall-mounted kiosk. It takes part in decisions only once approved and bound to a room.</summary>
public sealed record Kiosk(KioskId Id, RoomId? Room, KioskStatus Status)
{
    public bool InService => Status == KioskStatus.Approved && Room is not null;
}
