namespace PassTrack.Rules.Configuration;

/// <summary>The building's adjustable rule settings. Defaults are what most schools start with.</summary>
public sealed record BuildingPolicy
{
    /// <summary>Passes a student may take a day before further ones need the teacher's approval.</summary>
    public int DailyLimit { get; init; } = 3;

    /// <summary>Passes a student may take a school week (Monday to Sunday) before approval is needed; null means no weekly limit.</summary>
    public int? WeeklyLimit { get; init; }

    /// <summary>Minimum time between the end of one pass and the start of the next; null turns the rule off.</summary>
    public TimeSpan? Cooldown { get; init; }

    /// <summary>Students out from one room at once, unless the room sets its own.</summary>
    public int RoomOutLimit { get; init; } = 2;

    /// <summary>Students in the halls building-wide at once; null turns the rule off.</summary>
    public int? BuildingCap { get; init; }

    /// <summary>How long the head of a queue has to claim a freed place.</summary>
    public TimeSpan ClaimWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a pass waits for approval before it expires.</summary>
    public TimeSpan ApprovalTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>End overdue passes at the end of the period they started in (marked for review).</summary>
    public bool AutoEndAtPeriodEnd { get; init; } = true;

    /// <summary>How long past its time limit a pass may run before it is ended, when no period end applies first.</summary>
    public TimeSpan AutoEndAfterOverdue { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a scheduled pass keeps trying to start (student out, group member out) before it expires.</summary>
    public TimeSpan ScheduledStartWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Whether kiosks grant passes between periods and outside the school day.</summary>
    public bool PassesOutsidePeriods { get; init; }

    /// <summary>Minutes after the bell before a tap at a kiosk in tardy mode counts as a tardy.</summary>
    public TimeSpan TardyGrace { get; init; } = TimeSpan.FromMinutes(1);
}
