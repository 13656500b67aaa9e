using PassTrack.Rules;

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

    /// <summary>The scopes stored with a key (space-separated), known ones only.</summary>
    public static IReadOnlyList<string> Parse(string stored) =>
        stored.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(All.Contains).Distinct().ToList();

    /// <summary>Scopes as typed on the command line ("a,b" or "all"); null when one is unknown.</summary>
    public static IReadOnlyList<string>? FromList(string list)
    {
        var names = list.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 1 && names[0] == "all")
        {
            return All;
        }
        return names.Length == 0 || names.Any(n => !All.Contains(n)) ? null : names.Distinct().ToList();
    }

    /// <summary>What the rules let a key's holder do: the engine checks these, whatever the endpoint.</summary>
    public static StaffPermissions PermissionsFor(IEnumerable<string> scopes)
    {
        var permissions = StaffPermissions.None;
        foreach (var scope in scopes)
        {
            permissions |= scope switch
            {
                PassesWrite => StaffPermissions.ApprovePasses | StaffPermissions.ApproveAnyPass | StaffPermissions.EndPasses
                    | StaffPermissions.CreatePasses | StaffPermissions.OverrideRules | StaffPermissions.Summon,
                Encounters => StaffPermissions.OverrideEncounter,
                Emergency => StaffPermissions.Emergency,
                Configure or Kiosks => StaffPermissions.Configure,
                _ => StaffPermissions.None,
            };
        }
        return permissions;
    }
}
