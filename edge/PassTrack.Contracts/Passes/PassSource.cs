namespace PassTrack.Contracts.Passes;

/// <summary>Who or what asked for a pass.</summary>
public enum PassSource
{
    Kiosk,
    Teacher,
    StaffDashboard,
    Scheduled,
    Summons,
}
