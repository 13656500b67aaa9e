namespace PassTrack.LoadTool.Traffic;

/// <summary>Why a student is at a kiosk.</summary>
public enum Purpose
{
    /// <summary>Taps to ask for a pass (the kiosk identifies them, then they choose).</summary>
    Ask,
    /// <summary>Chooses a destination after being identified.</summary>
    Choose,
    /// <summary>Taps at the destination's own kiosk on arrival.</summary>
    Arrive,
    /// <summary>Taps back in at their room.</summary>
    Return,
    /// <summary>Taps to see their place in line, claim a freed place, or check on an approval.</summary>
    Check,
}

/// <summary>One step of one student at one kiosk: what the traffic model wants sent next.</summary>
public sealed record Visit(SimStudent Student, Purpose Purpose, int Kiosk)
{
    /// <summary>For <see cref="Purpose.Choose"/>: the scan that identified the student.</summary>
    public string? ForScan { get; init; }

    public SimDestination? Destination { get; init; }

    public bool JoinLine { get; init; } = true;

    /// <summary>For <see cref="Purpose.Choose"/>: leave the line (or withdraw the request) <see cref="ForScan"/> found.</summary>
    public bool LeaveLine { get; init; }

    /// <summary>How many times the student has checked on a wait.</summary>
    public int Checks { get; init; }

    /// <summary>When the student is due back (set while they are out).</summary>
    public double AwaySeconds { get; init; }
}
