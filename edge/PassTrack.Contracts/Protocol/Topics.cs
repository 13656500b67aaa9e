namespace PassTrack.Contracts.Protocol;

/// <summary>What a topic under a kiosk's own branch is for.</summary>
public enum KioskTopic
{
    /// <summary>Kiosk to edge: a card, code or number was presented (request; the reply goes to <see cref="Reply"/>).</summary>
    Scan,
    /// <summary>Kiosk to edge: the student chose a destination, or left a line (request).</summary>
    Choose,
    /// <summary>Edge to kiosk: answers to requests (the MQTT 5 response topic).</summary>
    Reply,
    /// <summary>Edge to kiosk: banners, configuration, time, summons alerts.</summary>
    Command,
    /// <summary>Kiosk, retained: online or offline (the Last Will says offline).</summary>
    Status,
    /// <summary>Kiosk to edge: heartbeat telemetry.</summary>
    Telemetry,
    /// <summary>Kiosk to edge: an action by the staff member whose card a recent scan identified (request).</summary>
    Staff,
    /// <summary>Kiosk to edge: how an offered update went (refused, installed, healthy, rolled back).</summary>
    Update,
}

/// <summary>
/// The kiosk protocol's topics, versioned. Every kiosk lives under <c>passtrack/v1/kiosks/{kioskId}/</c> and may
/// touch nothing else. Kiosk ids are lower-case letters, digits and dashes, at most 64 characters.
/// </summary>
public static class Topics
{
    public const string Version = "v1";
    public const string Root = "passtrack/" + Version;
    public const string KiosksRoot = Root + "/kiosks/";

    /// <summary>What the edge subscribes to when it is a client of an external broker.</summary>
    public const string AllKioskRequests = KiosksRoot + "+/+";

    public static string For(string kioskId, KioskTopic topic) => KiosksRoot + kioskId + "/" + Leaf(topic);

    public static string Scan(string kioskId) => For(kioskId, KioskTopic.Scan);

    public static string Choose(string kioskId) => For(kioskId, KioskTopic.Choose);

    public static string Reply(string kioskId) => For(kioskId, KioskTopic.Reply);

    public static string Command(string kioskId) => For(kioskId, KioskTopic.Command);

    public static string Status(string kioskId) => For(kioskId, KioskTopic.Status);

    public static string Telemetry(string kioskId) => For(kioskId, KioskTopic.Telemetry);

    public static string Staff(string kioskId) => For(kioskId, KioskTopic.Staff);

    public static string Update(string kioskId) => For(kioskId, KioskTopic.Update);

    public static bool IsValidKioskId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 64)
        {
            return false;
        }
        foreach (var c in id)
        {
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Splits <c>passtrack/v1/kiosks/{id}/{leaf}</c>; false for anything else, wildcards included.</summary>
    public static bool TryParse(string? topic, out string kioskId, out KioskTopic kind)
    {
        kioskId = "";
        kind = default;
        if (topic is null || !topic.StartsWith(KiosksRoot, StringComparison.Ordinal))
        {
            return false;
        }
        var rest = topic.AsSpan(KiosksRoot.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0)
        {
            return false;
        }
        var id = rest[..slash].ToString();
        var leaf = rest[(slash + 1)..];
        KioskTopic? parsed = leaf switch
        {
            "scan" => KioskTopic.Scan,
            "choose" => KioskTopic.Choose,
            "reply" => KioskTopic.Reply,
            "command" => KioskTopic.Command,
            "status" => KioskTopic.Status,
            "telemetry" => KioskTopic.Telemetry,
            "staff" => KioskTopic.Staff,
            "update" => KioskTopic.Update,
            _ => null,
        };
        if (parsed is null || !IsValidKioskId(id))
        {
            return false;
        }
        kioskId = id;
        kind = parsed.Value;
        return true;
    }

    private static string Leaf(KioskTopic topic) => topic switch
    {
        KioskTopic.Scan => "scan",
        KioskTopic.Choose => "choose",
        KioskTopic.Reply => "reply",
        KioskTopic.Command => "command",
        KioskTopic.Status => "status",
        KioskTopic.Telemetry => "telemetry",
        KioskTopic.Staff => "staff",
        KioskTopic.Update => "update",
        _ => throw new ArgumentOutOfRangeException(nameof(topic)),
    };
}
