namespace PassTrack.Contracts.Passes;

/// <summary>What a decision amounts to. The first four answer a pass request; the rest answer taps and staff commands.</summary>
public enum Outcome
{
    Granted,
    Queued,
    PendingApproval,
    Refused,

    /// <summary>A tap identified the student; the kiosk shows the destinations.</summary>
    Identified,
    /// <summary>A tap ended the student's pass (return, or check-in elsewhere).</summary>
    Returned,
    /// <summary>A tap at a destination's kiosk recorded the student's arrival.</summary>
    Arrived,
    /// <summary>The student already has a pass waiting; the kiosk shows where it stands.</summary>
    Status,
    /// <summary>A staff or configuration command was carried out.</summary>
    Accepted,
    /// <summary>A tap identified a staff member: the kiosk offers the staff actions they may take there.</summary>
    StaffIdentified,
}
