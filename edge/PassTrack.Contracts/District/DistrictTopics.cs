namespace PassTrack.Contracts.District;

/// <summary>What a topic under a building's branch of the district broker is for.</summary>
public enum DistrictTopic
{
    /// <summary>Edge to district, on connecting: who it is and its newest sequence number.</summary>
    Hello,
    /// <summary>Edge to district: a batch of the building's event log, in sequence order.</summary>
    Events,
    /// <summary>District to edge: how far the district holds the log without a gap, and whether to resend from there.</summary>
    Sync,
    /// <summary>Edge, retained: online or offline (the Last Will says offline).</summary>
    Status,
    /// <summary>District to edge: a staff action taken on the dashboard (request; the result goes to <see cref="Results"/>).</summary>
    Commands,
    /// <summary>Edge to district: the result of a command (the MQTT 5 response topic).</summary>
    Results,
    /// <summary>
    /// Edge to district, when the district asks (<see cref="SyncMessage.NeedSetup"/>): the building's starting
    /// configuration, which with the event log makes the district's replica of the building.
    /// </summary>
    Setup,
}

/// <summary>
/// The federation's topics on the district broker, versioned: each building lives under
/// <c>passtrack/v1/district/{buildingId}/</c>, and its edge may touch nothing else. Building ids follow the kiosk id
/// rule: lower-case letters, digits and dashes, at most 64 characters.
/// </summary>
public static class DistrictTopics
{
    public const string Root = "passtrack/v1/district/";

    /// <summary>What the district's ingest subscribes to: every building's hello, events, status and results.</summary>
    public static readonly string[] IngestFilters =
    [
        Root + "+/" + Leaf(DistrictTopic.Hello),
        Root + "+/" + Leaf(DistrictTopic.Events),
        Root + "+/" + Leaf(DistrictTopic.Status),
        Root + "+/" + Leaf(DistrictTopic.Results),
        Root + "+/" + Leaf(DistrictTopic.Setup),
    ];

    public static string For(string buildingId, DistrictTopic topic) => Root + buildingId + "/" + Leaf(topic);

    public static bool IsValidBuildingId(string? id) => Protocol.Topics.IsValidKioskId(id);

    /// <summary>Splits <c>passtrack/v1/district/{building}/{leaf}</c>; false for anything else, wildcards included.</summary>
    public static bool TryParse(string? topic, out string buildingId, out DistrictTopic kind)
    {
        buildingId = "";
        kind = default;
        if (topic is null || !topic.StartsWith(Root, StringComparison.Ordinal))
        {
            return false;
        }
        var rest = topic.AsSpan(Root.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0)
        {
            return false;
        }
        var id = rest[..slash].ToString();
        var leaf = rest[(slash + 1)..];
        if (!IsValidBuildingId(id))
        {
            return false;
        }
        foreach (var candidate in Enum.GetValues<DistrictTopic>())
        {
            if (leaf.SequenceEqual(Leaf(candidate)))
            {
                buildingId = id;
                kind = candidate;
                return true;
            }
        }
        return false;
    }

    public static string Leaf(DistrictTopic topic) => topic switch
    {
        DistrictTopic.Hello => "hello",
        DistrictTopic.Events => "events",
        DistrictTopic.Sync => "sync",
        DistrictTopic.Status => "status",
        DistrictTopic.Commands => "commands",
        DistrictTopic.Results => "results",
        DistrictTopic.Setup => "setup",
        _ => throw new ArgumentOutOfRangeException(nameof(topic), topic, null),
    };
}
