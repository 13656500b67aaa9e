namespace PassTrack.Edge.Security;

/// <summary>What an API key may do. Least privilege: a dashboard for teachers needs no configuration scope.</summary>
public static class Scopes
{
    /// <summary>Read passes, students' pass history and live events (student data: every read is audited).</summary>
    public const string PassesRead = "passes:read";

    /// <summary>End, approve, deny and create passes; summon.</summary>
    public const string PassesWrite = "passes:write";

    /// <summary>Lockdown, fire drill and all-clear.</summary>
    public const string Emergency = "emergency";

    /// <summary>Change the building's configuration, students and profiles.</summary>
    public const string Configure = "config";

    /// <summary>Approve, bind and revoke kiosks.</summary>
    public const string Kiosks = "kiosks";

    /// <summary>Read the encounter groups and the blocked-attempt log (counselors and administrators).</summary>
    public const string Encounters = "encounters";

    /// <summary>Read the event log (the district's feed).</summary>
    public const string Events = "events";

    public static readonly IReadOnlyList<string> All = [PassesRead, PassesWrite, Emergency, Configure, Kiosks, Encounters, Events];
}
