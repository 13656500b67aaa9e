using System.Globalization;
using PassTrack.Contracts;
using PassTrack.Contracts.Protocol;

namespace PassTrack.Kiosk.Flow;

/// <summary>What the 20x4 display says, in English and Spanish. Every line fits 20 columns.</summary>
public static class Screens
{
    public const int Width = 20;

    /// <summary>How many destinations a menu page shows (one per line, under the greeting).</summary>
    public const int MenuPageSize = 3;

    public static string[] Setup(string kioskId, bool online) =>
    [
        "PassTrack kiosk",
        Fit(kioskId),
        online ? "Waiting for approval" : "Connecting...",
        "See district IT",
    ];

    public static string[] Idle(string room, DateTimeOffset now, bool online, bool readerOk) =>
    [
        Fit(room),
        now.ToString("h:mm tt  ddd MMM d", CultureInfo.InvariantCulture),
        readerOk ? "Tap your card" : "Card reader error",
        !readerOk ? "Type your ID then #" : online ? "or type ID then #" : "Offline-returns OK",
    ];

    public static string[] OneMoment(Language language) =>
        [language == Language.Spanish ? "Un momento..." : "One moment...", "", "", ""];

    /// <summary>
    /// "One moment..." in place of the third row of what is showing, the rest left as it is: the display then
    /// rewrites one row (~17 ms at 100 kHz I2C) instead of four (~80 ms), inside the tap's 50 ms feedback budget.
    /// </summary>
    public static string[] OneMomentOver(IReadOnlyList<string> showing, Language language)
    {
        string Row(int i) => i < showing.Count ? showing[i] : "";
        return [Row(0), Row(1), language == Language.Spanish ? "Un momento..." : "One moment...", Row(3)];
    }

    public static string[] Menu(DecisionReply identified, IReadOnlyList<MenuItem> items, int page)
    {
        var spanish = identified.Language == Language.Spanish;
        var name = identified.FirstName ?? "";
        var lines = new string[4];
        lines[0] = Fit(spanish ? $"Hola {name}: elige" : $"Hi {name}: choose");
        for (var i = 0; i < MenuPageSize; i++)
        {
            var index = (page * MenuPageSize) + i;
            lines[i + 1] = index < items.Count && index < 9
                ? Fit($"{index + 1} {(spanish ? items[index].LabelEs : items[index].Label)}")
                : "";
        }
        var more = (page + 1) * MenuPageSize < Math.Min(items.Count, 9);
        if (string.IsNullOrEmpty(lines[3]) || more)
        {
            lines[3] = more ? Fit((lines[3].Length > 17 ? lines[3][..17] : lines[3].PadRight(17)) + " #>") : (spanish ? "* cancelar" : "* cancel");
        }
        return lines;
    }

    public static string[] ManualEntry(string digits) => ["Student number:", Fit(digits + "_"), "", "# = OK   * = erase"];

    /// <summary>The edge's own lines for a decision, with a hint for leaving a line where that is possible.</summary>
    public static string[] Answer(DecisionReply reply, bool canLeaveLine)
    {
        var lines = new string[4];
        for (var i = 0; i < 4; i++)
        {
            lines[i] = i < reply.Lines.Count ? Fit(reply.Lines[i]) : "";
        }
        if (canLeaveLine && string.IsNullOrEmpty(lines[3]))
        {
            lines[3] = reply.Language == Language.Spanish ? "* = salir de la fila" : "* = leave the line";
        }
        return lines;
    }

    public static string[] ReturnRecorded(Language language) => language == Language.Spanish
        ? ["Regreso registrado", "Bienvenido", "", "(sin conexion)"]
        : ["Return recorded", "Welcome back", "", "(offline)"];

    public static string[] PassesUnavailable(Language language) => language == Language.Spanish
        ? ["Pases no", "disponibles:", "pregunta a tu", "maestro"]
        : ["Passes unavailable", "ask your teacher", "", ""];

    public static string[] Summons(SummonsAlert summons, Language language) => language == Language.Spanish
        ? [Fit($"{summons.FirstName}:"), "ve a", Fit(summons.DestinationEs), "Toca tu tarjeta"]
        : [Fit($"{summons.FirstName}: please go"), Fit($"to {summons.Destination}"), "", "Tap your card"];

    public static string[] Emergency(CommandType type) => type == CommandType.Lockdown
        ? ["*** LOCKDOWN ***", "Stay in the room", "Follow staff", "directions"]
        : ["*** FIRE DRILL ***", "Follow your teacher", "to the exit", "No passes"];

    /// <summary>
    /// The staff menu: key 1 is the emergency action that fits the moment (start a lockdown, or end the emergency
    /// in progress), key 2 enrols a card. Only what the badge's holder may do is offered.
    /// </summary>
    public static string[] StaffMenu(DecisionReply staff, CommandType? emergency)
    {
        var greeting = staff.Lines.Count > 0 ? staff.Lines[0] : "Staff";
        var actions = staff.StaffActions ?? [];
        var first = emergency is null
            ? actions.Contains(StaffAction.Lockdown) ? "1 Lockdown" : ""
            : actions.Contains(StaffAction.Clear) ? emergency == CommandType.Lockdown ? "1 End lockdown" : "1 End fire drill" : "";
        var second = actions.Contains(StaffAction.EnrolCard) ? "2 Enrol a card" : "";
        if (first.Length == 0 && second.Length == 0)
        {
            return [Fit(greeting), "No staff actions", "for your badge here", ""];
        }
        return [Fit(greeting), first, second, "* = exit"];
    }

    public static string[] ConfirmStaffAction(StaffAction action) => action == StaffAction.Lockdown
        ? ["Start a LOCKDOWN of", "the whole building?", "", "# = YES     * = no"]
        : ["End the emergency", "for the whole", "building?", "# = YES     * = no"];

    public static string[] EnrolNumber(string digits) => ["Enrol a card", "Student number:", Fit(digits + "_"), "# = OK   * = erase"];

    public static string[] EnrolTap(string number) => [Fit($"Student {number}"), "Tap the new card", "now", "* = cancel"];

    public static string[] StaffUnavailable() => ["Not done: the", "server is offline.", "Emergencies: use", "phone or PA"];

    public static string[] KioskError(string detail) => ["Kiosk error", Fit(detail), "Please see your", "teacher"];

    public static string Fit(string text) => text.Length <= Width ? text : text[..Width];
}
