using PassTrack.Contracts;
using PassTrack.Contracts.Protocol;
using PassTrack.Rules;
using PassTrack.Rules.Configuration;
using PassTrack.Rules.Emergencies;
using PassTrack.Rules.Summons;

namespace PassTrack.Edge.Kiosks;

/// <summary>A summons as a kiosk needs it: who, where to, and which room's kiosks alert.</summary>
internal sealed record SummonsView(SummonsId Id, SummonsState State, RoomId? DeliverTo, SummonsAlert Alert);

/// <summary>
/// What the kiosk commands need from the live building, copied in one read on the writer's loop (the records are
/// immutable, so the copy is a handful of list allocations) and used outside it.
/// </summary>
internal sealed record BuildingSnapshot(
    string Name,
    IReadOnlyDictionary<RoomId, Room> Rooms,
    IReadOnlyList<Destination> Destinations,
    IReadOnlyDictionary<SectionId, Section> Sections,
    IReadOnlyDictionary<KioskId, Kiosk> Kiosks,
    EmergencyKind? Emergency,
    IReadOnlyList<SummonsView> Summons)
{
    public static BuildingSnapshot Of(Building b) => new(
        b.Name,
        b.Rooms.ToDictionary(r => r.Id),
        [.. b.Destinations],
        b.Sections.ToDictionary(s => s.Id),
        b.Kiosks.ToDictionary(k => k.Id),
        b.Emergency?.Kind,
        [.. b.Summons.Select(s => View(b, s))]);

    public IEnumerable<string> KiosksIn(RoomId room) =>
        Kiosks.Values.Where(k => k.InService && k.Room == room).Select(k => k.Id.Value);

    public IEnumerable<string> KiosksInService => Kiosks.Values.Where(k => k.InService).Select(k => k.Id.Value);

    private static SummonsView View(Building b, StudentSummons s)
    {
        var destination = b.FindDestination(s.Destination);
        var alert = new SummonsAlert(
            s.Id.ToString(),
            s.Student.Value,
            b.FindStudent(s.Student)?.FirstName ?? "",
            destination?.Name ?? s.Destination.Value,
            destination?.NameIn(Language.Spanish) ?? s.Destination.Value,
            s.Priority.ToString());
        return new SummonsView(s.Id, s.State, s.DeliverTo, alert);
    }
}

/// <summary>A kiosk's configuration: its room, and the menu of places a student there may ask to go.</summary>
internal static class KioskMenu
{
    /// <summary>Null when the kiosk is not approved and bound to a known room: it gets the setup screen instead.</summary>
    public static KioskConfiguration? For(BuildingSnapshot building, string kioskId)
    {
        if (!building.Kiosks.TryGetValue(new KioskId(kioskId), out var kiosk) || !kiosk.InService
            || !building.Rooms.TryGetValue(kiosk.Room!.Value, out var room))
        {
            return null;
        }
        var items = Menu(building, room).Select(d => new MenuItem(d.Id.Value, d.Name, d.NameIn(Language.Spanish))).ToList();
        return new KioskConfiguration(room.Id.Value, room.Name, items, Language.English, building.Name) { TardyMode = room.TardyMode };
    }

    /// <summary>
    /// Open, non-designated destinations (designated restrooms are reached by routing, not chosen), without the one
    /// this kiosk's own room is. Restrooms and water come first and only from the room's own section, or the nearest
    /// section that has them: a student in A101 is not offered the restroom in the far wing.
    /// </summary>
    private static List<Destination> Menu(BuildingSnapshot building, Room room)
    {
        var offered = building.Destinations.Where(d => d.Open && !d.Designated && d.ArrivalRoom != room.Id).ToList();
        var nearby = building.Sections.TryGetValue(room.Section, out var section) ? section.Nearby : [];
        var menu = new List<Destination>();
        foreach (var kind in new[] { DestinationKind.Restroom, DestinationKind.WaterFountain })
        {
            var ofKind = offered.Where(d => d.Kind == kind).ToList();
            var closest = new[] { room.Section }.Concat(nearby)
                .Select(s => ofKind.Where(d => d.Section == s).ToList())
                .FirstOrDefault(list => list.Count > 0);
            menu.AddRange(closest ?? ofKind.Where(d => d.Section is null));
        }
        menu.AddRange(offered.Where(d => d.Kind is not (DestinationKind.Restroom or DestinationKind.WaterFountain)));
        return menu;
    }
}
