namespace PassTrack.Contracts.Passes;

/// <summary>
/// Where a pass is in its life. Overdue is a flag on an Active pass, not a state of its own.
/// Terminal states: Completed, Denied, Cancelled, Expired, Ended, Terminated.
/// </summary>
public enum PassState
{
    Scheduled,
    PendingApproval,
    Queued,
    Active,
    Completed,
    Denied,
    Cancelled,
    Expired,
    Ended,
    Terminated,
}

public static class PassStates
{
    public static bool IsTerminal(this PassState state) => state >= PassState.Completed;

    /// <summary>Open passes block a second request: the student is out, waiting in line or waiting for approval.</summary>
    public static bool IsOpen(this PassState state) =>
        state is PassState.Active or PassState.Queued or PassState.PendingApproval;
}
