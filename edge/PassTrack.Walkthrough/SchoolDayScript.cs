using System.Globalization;
using PassTrack.Contracts;
using PassTrack.Contracts.Passes;
using PassTrack.Rules;
using PassTrack.Rules.Approvals;
using PassTrack.Rules.Configuration;
using PassTrack.Rules.Decisions;
using PassTrack.Rules.Demo;
using PassTrack.Rules.Emergencies;
using PassTrack.Rules.Passes;
using PassTrack.Rules.Scheduling;
using PassTrack.Rules.Students;
using PassTrack.Rules.Summons;

namespace PassTrack.Walkthrough;

/// <summary>
/// A school day at the demo high school, told through the real rules engine: every line printed is a decision the
/// engine made. Time moves forward in steps, and the engine's timers run at each step as the edge's timer loop would.
/// </summary>
public sealed class SchoolDayScript(TextWriter output)
{
    private static readonly DateOnly Tuesday = DemoSchool.WeekStart.AddDays(1);

    private readonly BuildingConfiguration _config = DemoSchool.Create(DemoSchoolSize.Typical);
    private Building _building = null!;
    private DateTimeOffset _now;

    /// <summary>How many decisions were printed, by outcome.</summary>
    public Dictionary<Outcome, int> Outcomes { get; } = [];

    /// <summary>Every event the building recorded during the day.</summary>
    public List<BuildingEvent> Events { get; } = [];

    public Building Building => _building;

    public BuildingConfiguration Configuration => _config;

    public void Run()
    {
        _building = new Building(_config);
        var room = new RoomId("A101");
        var inA101 = _config.Students.Where(s => s.Homeroom == room && s.Profile.Accommodations.Plan is null && s.Profile.RestrictedDestinations.Count == 0 && s.Profile.DesignatedRestrooms.Count == 0 && !InGroup(s)).Take(6).ToList();
        var (ana, ben, carla, dev, eli, fay) = (inA101[0], inA101[1], inA101[2], inA101[3], inA101[4], inA101[5]);
        var teacher = DemoSchool.Teacher(room);
        var kiosk = new KioskId("kiosk-a101");
        var restroom = new DestinationId("restroom-a-north");
        var plan504 = _config.Students.First(s => s.Profile.Accommodations is { Plan: "504", ExemptFromCapacity: true });
        var designated = _config.Students.First(s => s.Profile.DesignatedRestrooms.Count > 0);
        var restricted = _config.Students.First(s => s.Profile.RestrictedDestinations.Count > 0);
        var group = _config.EncounterGroups[0];
        var (first, second) = (Student(group.Members[0]), Student(group.Members[1]));

        Heading($"{_building.Name}, {Tuesday.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture)} ({_config.Students.Count:N0} students, {_config.Rooms.Count} rooms, {_config.Destinations.Count} destinations)");

        Heading("Before the bell and the first minutes of period 1");
        At(7, 50); Show($"{ana.FirstName} taps at {room} before school", Tap(ana, kiosk));
        At(8, 4); Show($"{ana.FirstName} taps four minutes into period 1", Tap(ana, kiosk));

        Heading("Period 1: passes, the room limit, the line at the restroom");
        At(8, 12);
        Show($"{ana.FirstName} taps", Tap(ana, kiosk));
        Show($"{ana.FirstName} chooses the restroom", Request(ana, room, restroom));
        Show($"{ben.FirstName} asks for the same restroom", Request(ben, room, restroom));
        Show($"{carla.FirstName} asks for water while two of her class are out", Request(carla, room, new DestinationId("water-a")));
        var otherRoom = new RoomId("A102");
        var neighbour = _config.Students.First(s => s.Homeroom == otherRoom && s.Profile.Accommodations.Plan is null && !InGroup(s) && s.Profile.RestrictedDestinations.Count == 0 && s.Profile.DesignatedRestrooms.Count == 0);
        At(8, 13); var queued = Show($"{neighbour.FirstName} in {otherRoom} asks for the full restroom and joins the line", Request(neighbour, otherRoom, restroom));
        Show($"{plan504.FullName} (504 plan: exempt from capacity) asks for it too", Request(plan504, plan504.Homeroom!.Value, restroom));
        At(8, 16); Show($"{ana.FirstName} comes back (the restroom is still full: the 504 student counts too)", Tap(ana, kiosk));
        Show($"{neighbour.FirstName} taps to see where the line stands", Tap(neighbour, new KioskId("kiosk-a102")));
        At(8, 18); Show($"{ben.FirstName} comes back", Tap(ben, kiosk));
        var offer = Events.OfType<Rules.Queues.QueueOfferMade>().Last(e => e.Pass == queued.Pass);
        output.WriteLine($"         the place is held for {neighbour.FirstName} until {Clock(offer.ClaimBy)}:{offer.ClaimBy.Second:00}");
        Show($"{neighbour.FirstName} taps and claims it", Tap(neighbour, new KioskId("kiosk-a102")));

        Heading("Routing and restrictions");
        At(8, 20);
        Show($"{designated.FullName} asks for the wing restroom and is sent to the designated one", Request(designated, designated.Homeroom!.Value, new DestinationId($"restroom-{_config.Rooms.First(r => r.Id == designated.Homeroom).Section.Value.ToLowerInvariant()}-north")));
        Show($"{restricted.FullName} asks for the library, which is restricted for them", Request(restricted, restricted.Homeroom!.Value, new DestinationId("library")));
        var closedRestroom = _building.FindDestination(new DestinationId("restroom-b-south"))!;
        Show("The custodian closes Restroom B South for cleaning", Do(new SaveDestination(closedRestroom with { Open = false }, _now, DemoSchool.Principal)));
        var inB = _config.Students.First(s => _config.Rooms.First(r => r.Id == s.Homeroom).Section.Value == "B" && s.Profile.Accommodations.Plan is null && !InGroup(s) && s.Profile.DesignatedRestrooms.Count == 0);
        Show($"{inB.FirstName} asks for Restroom B South and is rerouted", Request(inB, inB.Homeroom!.Value, closedRestroom.Id));

        Heading("Encounter prevention");
        At(8, 25);
        Show($"{first.FullName} asks for the nurse", Request(first, first.Homeroom!.Value, new DestinationId("nurse")));
        Show($"{second.FullName}, in the same encounter group, asks for water", Request(second, second.Homeroom!.Value, new DestinationId($"water-{_config.Rooms.First(r => r.Id == second.Homeroom).Section.Value.ToLowerInvariant()}")));
        var blocked = Events.OfType<Rules.Encounters.EncounterAttemptBlocked>().Last();
        output.WriteLine($"         counselor's log: {Student(blocked.Student).FullName} blocked, {Student(blocked.OtherStudent).FullName} out ({blocked.Group}); the teacher saw only \"blocked\".");
        At(8, 27); Show($"{first.FirstName} taps in at the nurse's kiosk", Tap(first, new KioskId("kiosk-nurse")));
        At(8, 38); Show($"{first.FirstName} returns to class", Tap(first, new KioskId($"kiosk-{first.Homeroom!.Value.Value.ToLowerInvariant()}")));

        Heading("Period 2: the daily limit asks the teacher, the counselor approves her own visitors");
        At(9, 5);
        for (var i = 0; i < 2; i++)
        {
            Request(dev, room, new DestinationId("locker"));
            Advance(2);
            Tap(dev, kiosk);
        }
        output.WriteLine($"  {Clock()}  ({dev.FirstName} has now taken 2 passes today; the demo school's limit is 3)");
        At(9, 15); Request(dev, room, new DestinationId("locker")); At(9, 18); Tap(dev, kiosk);
        At(9, 20); var pending = Show($"{dev.FirstName} asks a fourth time", Request(dev, room, restroom));
        Show($"{teacher.Name} approves it", Do(new ApprovePass(pending.Pass!.Value, _now, teacher)));
        At(9, 21); Show($"{dev.FirstName} comes back", Tap(dev, kiosk));
        var counselorVisit = Show($"{eli.FirstName} asks to see Counselor Ruiz", Request(eli, room, new DestinationId("counselor-ruiz")));
        Show($"{teacher.Name} tries to approve it", Do(new ApprovePass(counselorVisit.Pass!.Value, _now, teacher)));
        Show("Counselor Ruiz approves it", Do(new ApprovePass(counselorVisit.Pass!.Value, _now, DemoSchool.CounselorRuiz)));

        Heading("Overdue, auto-end, summons and the 10:30 medication visit");
        At(9, 23); Show($"{fay.FirstName} leaves for the library", Request(fay, room, new DestinationId("library")));
        Advance(25);
        foreach (var e in Events.OfType<PassOverdue>().Where(e => e.Student == fay.Id))
        {
            output.WriteLine($"  {Clock(e.At)}  ALERT: {fay.FullName}'s pass to the library is overdue.");
        }
        var medication = new RecurringPass(new RecurringPassId("meds-" + carla.Id.Value), carla.Id, room, new DestinationId("nurse"), new TimeOnly(10, 30), [], Tuesday, Comment: "Daily medication");
        Show($"The nurse sets up {carla.FirstName}'s daily 10:30 medication visit", Do(new SaveRecurringPass(medication, _now, DemoSchool.Nurse)));
        At(9, 50);
        var fayPass = _building.FindPass(Events.OfType<PassCreated>().Last(e => e.Student == fay.Id).Pass)!;
        output.WriteLine($"  {Clock()}  At the bell {fay.FullName}'s pass is {fayPass.State} ({fayPass.EndCause}), marked for review: {fayPass.NeedsReview}.");
        At(10, 2);
        Show($"Counselor Ruiz summons {eli.FullName} (the counselor for last names A-L)", Do(new Summon([eli.Id], new SummonsTarget(DestinationKind.Counselor, Specialty: "A-L"), SummonsPriority.Routine, _now, DemoSchool.CounselorRuiz)));
        Show($"{eli.FirstName} taps to acknowledge", Tap(eli, kiosk));
        Heading("Lockdown");
        At(10, 15);
        Show($"{neighbour.FirstName} in {otherRoom} goes for water", Request(neighbour, otherRoom, new DestinationId("water-a")));
        Show("The principal starts a lockdown", Do(new StartEmergency(EmergencyKind.Lockdown, _now, DemoSchool.Principal)));
        foreach (var s in _building.Emergency!.StudentsOut)
        {
            output.WriteLine($"         out at that moment: {Student(s.Student).FullName} ({s.Origin} -> {s.Destination})");
        }
        At(10, 17); Show($"{neighbour.FirstName} shelters in {room} and taps in there", Tap(neighbour, kiosk));
        Show($"{ben.FirstName} asks for a pass", Request(ben, room, restroom));
        At(10, 25); Show("The principal clears the lockdown", Do(new ClearEmergency(_now, DemoSchool.Principal)));

        Heading("The medication visit starts on its own");
        At(10, 31);
        var meds = Events.OfType<PassTransitioned>().LastOrDefault(e => e.Cause == TransitionCause.ScheduledStart);
        output.WriteLine($"  {Clock()}  {carla.FullName}'s medication pass started on its own at {Clock(meds?.At ?? _now)}.");



        Heading("Tomorrow is a testing day");
        _now = TimeAt(Tuesday.AddDays(1), 8, 30);
        Advance(0);
        Show($"{ben.FirstName} taps during the morning test", Tap(ben, kiosk));

        Heading("The day in numbers");
        output.WriteLine($"  {Events.Count} events recorded; decisions: {string.Join(", ", Outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}"))}.");
        var rebuilt = Building.Rebuild(_config, Events);
        output.WriteLine($"  Rebuilt from its events the building has {rebuilt.OpenPasses.Count} open passes and sequence {rebuilt.LastSequence}, as the live one ({_building.OpenPasses.Count}, {_building.LastSequence}).");
    }

    private bool InGroup(Student s) => _config.EncounterGroups.Any(g => g.Members.Contains(s.Id));

    private Student Student(StudentId id) => _building.FindStudent(id)!;

    private static DateTimeOffset TimeAt(DateOnly date, int hour, int minute) =>
        SchoolDay.LocalInstant(date, new TimeOnly(hour, minute), TimeZoneInfo.FindSystemTimeZoneById(DemoSchool.TimeZoneId));

    private void At(int hour, int minute)
    {
        var next = TimeAt(Tuesday, hour, minute);
        Advance((int)(next - _now).TotalMinutes, next);
    }

    /// <summary>Moves time on a minute at a time, letting the building's timers run as the edge's would.</summary>
    private void Advance(int minutes, DateTimeOffset? target = null)
    {
        if (_now == default)
        {
            _now = target ?? _now;
        }
        var end = target ?? _now.AddMinutes(minutes);
        while (_now < end)
        {
            _now = _now.AddMinutes(1) < end ? _now.AddMinutes(1) : end;
            Do(new Advance(_now));
        }
        Do(new Advance(_now));
    }

    private Decision Tap(Student s, KioskId kiosk) => Do(new Tap(kiosk, s.Credentials[0], _now, Actor.OfKiosk(kiosk)));

    private Decision Request(Student s, RoomId from, DestinationId to) =>
        Do(new RequestPass(s.Id, from, to, PassSource.Kiosk, _now, Actor.OfStudent(s.Id)));

    private Decision Do(BuildingCommand command)
    {
        var decision = _building.Handle(command);
        Events.AddRange(_building.TakeEvents());
        return decision;
    }

    private Decision Show(string what, Decision decision)
    {
        Outcomes[decision.Outcome] = Outcomes.GetValueOrDefault(decision.Outcome) + 1;
        output.WriteLine($"  {Clock()}  {what}");
        output.WriteLine($"         -> {decision.Outcome} ({decision.Reason}){(decision.QueuePosition is { } p && p > 0 ? $", #{p} in line" : "")}");
        if (decision.Student is not null || decision.Outcome != Outcome.Accepted)
        {
            var lines = decision.StudentMessage.In(decision.Language);
            output.WriteLine($"         kiosk ({(decision.Language == Language.Spanish ? "es" : "en")}): {string.Join(" | ", lines)}");
        }
        output.WriteLine($"         staff: {decision.StaffExplanation}");
        return decision;
    }

    private void Heading(string text)
    {
        output.WriteLine();
        output.WriteLine($"== {text}");
    }

    private string Clock() => Clock(_now);

    private static string Clock(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById(DemoSchool.TimeZoneId)).ToString("HH:mm", CultureInfo.InvariantCulture);
}
