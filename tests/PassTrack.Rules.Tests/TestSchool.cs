using Microsoft.Extensions.Time.Testing;
using PassTrack.Rules.Approvals;
using PassTrack.Rules.Emergencies;

namespace PassTrack.Rules.Tests;

/// <summary>
/// A small school the example tests read easily: two wings, three classrooms, a handful of destinations and students.
/// Time comes from a FakeTimeProvider set in the building's local time; every command is stamped with it.
/// Tuesday 1 December 2026 is a regular day: period 1 is 8:00-8:50, period 2 is 8:55-9:45, period 3 is 9:50-10:40.
/// </summary>
public sealed class TestSchool
{
    public static readonly DateOnly Tuesday = new(2026, 12, 1);
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    public static readonly RoomId A101 = new("A101");
    public static readonly RoomId A102 = new("A102");
    public static readonly RoomId B201 = new("B201");
    public static readonly RoomId NurseRoom = new("NURSE");
    public static readonly RoomId LibraryRoom = new("LIBRARY");

    public static readonly DestinationId RestroomA = new("restroom-a");
    public static readonly DestinationId RestroomB = new("restroom-b");
    public static readonly DestinationId RestroomHealth = new("restroom-health");
    public static readonly DestinationId Nurse = new("nurse");
    public static readonly DestinationId Counselor = new("counselor");
    public static readonly DestinationId Library = new("library");
    public static readonly DestinationId Water = new("water");
    public static readonly DestinationId Office = new("office");

    public static readonly StudentId Ana = new("ana");
    public static readonly StudentId Ben = new("ben");
    public static readonly StudentId Carla = new("carla");
    public static readonly StudentId Dev = new("dev");
    public static readonly StudentId Eli = new("eli");
    public static readonly StudentId Fay = new("fay");
    public static readonly StudentId Gus = new("gus");
    /// <summary>Has a 504 plan: exempt from capacity, period buffers and daily limits; 5 extra minutes at restrooms.</summary>
    public static readonly StudentId Mia = new("mia");
    /// <summary>Designated to the health office restroom.</summary>
    public static readonly StudentId Noor = new("noor");
    /// <summary>Spanish-speaking; restricted from the library.</summary>
    public static readonly StudentId Sofia = new("sofia");

    public static readonly KioskId KioskA101 = new("kiosk-a101");
    public static readonly KioskId KioskA102 = new("kiosk-a102");
    public static readonly KioskId KioskB201 = new("kiosk-b201");
    public static readonly KioskId KioskNurse = new("kiosk-nurse");
    public static readonly KioskId KioskLibrary = new("kiosk-library");

    public static readonly Actor TeacherA101 = Actor.Staff("t-a101", "Ms. Alvarez", StaffPermissions.Teacher);
    public static readonly Actor TeacherA102 = Actor.Staff("t-a102", "Mr. Brooks", StaffPermissions.Teacher);
    public static readonly Actor CounselorStaff = Actor.Staff("s-counselor", "Ms. Ruiz", StaffPermissions.ApprovePasses | StaffPermissions.Summon | StaffPermissions.CreatePasses | StaffPermissions.OverrideRules | StaffPermissions.OverrideEncounter);
    public static readonly Actor Principal = Actor.Staff("s-principal", "Dr. Okafor", StaffPermissions.Administrator);
    public static readonly Actor Substitute = Actor.Staff("s-sub", "Sub", StaffPermissions.CreatePasses);

    public TestSchool(Func<BuildingConfiguration, BuildingConfiguration>? adjust = null, DateOnly? date = null)
    {
        Configuration = Create();
        if (adjust is not null)
        {
            Configuration = adjust(Configuration);
        }
        Clock = new FakeTimeProvider(LocalToUtc(date ?? Tuesday, new TimeOnly(9, 10)));
        Building = new Building(Configuration);
    }

    public BuildingConfiguration Configuration { get; }

    public Building Building { get; }

    public FakeTimeProvider Clock { get; }

    /// <summary>Every event the building recorded, in order.</summary>
    public List<BuildingEvent> Events { get; } = [];

    public DateTimeOffset Now => Clock.GetUtcNow();

    public static DateTimeOffset LocalToUtc(DateOnly date, TimeOnly time) => SchoolDay.LocalInstant(date, time, Zone);

    /// <summary>A local time on the test school's Tuesday.</summary>
    public static DateTimeOffset Tue(int hour, int minute, int second = 0) => LocalToUtc(Tuesday, new TimeOnly(hour, minute, second));

    /// <summary>Sets the clock to a local time on the test's date.</summary>
    public TestSchool At(int hour, int minute, int second = 0)
    {
        var local = TimeZoneInfo.ConvertTime(Now, Zone);
        var date = DateOnly.FromDateTime(local.DateTime);
        Clock.SetUtcNow(LocalToUtc(date, new TimeOnly(hour, minute, second)));
        return this;
    }

    public TestSchool On(DateOnly date, int hour, int minute)
    {
        Clock.SetUtcNow(LocalToUtc(date, new TimeOnly(hour, minute)));
        return this;
    }

    /// <summary>Moves the clock on and lets the building's timers run, as the edge's timer loop does.</summary>
    public Decision Wait(TimeSpan span)
    {
        Clock.Advance(span);
        return Handle(new Advance(Now));
    }

    /// <summary>Sets the clock to a local time today and lets the building's timers run then, as the edge's timer loop does.</summary>
    public Decision AdvanceTo(int hour, int minute, int second = 0)
    {
        At(hour, minute, second);
        return Handle(new Advance(Now));
    }

    /// <summary>Sets the clock to a local time on a date and lets the building's timers run then.</summary>
    public Decision AdvanceTo(DateOnly date, int hour, int minute)
    {
        On(date, hour, minute);
        return Handle(new Advance(Now));
    }

    public IEnumerable<PassTransitioned> TransitionsOf(PassId? pass) => EventsOf<PassTransitioned>().Where(t => t.Pass == pass);

    public Decision Handle(BuildingCommand command)
    {
        var decision = Building.Handle(command);
        Events.AddRange(Building.TakeEvents());
        return decision;
    }

    public Decision Request(StudentId student, DestinationId destination, RoomId? from = null, bool joinQueue = true) =>
        Handle(new RequestPass(student, from ?? HomeroomOf(student), destination, PassSource.Kiosk, Now, Actor.OfStudent(student)) { JoinQueueIfFull = joinQueue });

    public Decision StaffRequest(Actor staff, StudentId student, DestinationId destination, RoomId? from = null, RuleOverride? ruleOverride = null) =>
        Handle(new RequestPass(student, from ?? HomeroomOf(student), destination, PassSource.Teacher, Now, staff) { Override = ruleOverride });

    /// <summary>The student taps their card at a kiosk.</summary>
    public Decision Tap(StudentId student, KioskId kiosk) =>
        Handle(new Tap(kiosk, CardOf(student), Now, Actor.OfKiosk(kiosk)));

    public Decision Approve(PassId pass, Actor staff) => Handle(new ApprovePass(pass, Now, staff));

    public Decision Deny(PassId pass, Actor staff) => Handle(new DenyPass(pass, Now, staff));

    public Decision End(PassId pass, Actor staff) => Handle(new EndPass(pass, Now, staff));

    public Decision Lockdown(Actor? staff = null) => Handle(new StartEmergency(EmergencyKind.Lockdown, Now, staff ?? Principal));

    public Decision FireDrill(Actor? staff = null) => Handle(new StartEmergency(EmergencyKind.FireDrill, Now, staff ?? Principal));

    public Decision ClearEmergency(Actor? staff = null) => Handle(new Rules.Emergencies.ClearEmergency(Now, staff ?? Principal));

    public Decision Configure(Func<DateTimeOffset, Actor, BuildingCommand> command) => Handle(command(Now, Principal));

    public Pass Pass(PassId? id) => Building.FindPass(id ?? throw new ArgumentNullException(nameof(id))) ?? throw new InvalidOperationException($"No pass {id}.");

    public Pass Pass(Decision decision) => Pass(decision.Pass);

    public IEnumerable<T> EventsOf<T>() where T : BuildingEvent => Events.OfType<T>();

    public static Credential CardOf(StudentId student) => new(CredentialKind.Card, $"CARD-{student.Value.ToUpperInvariant()}");

    public RoomId HomeroomOf(StudentId student) => Building.FindStudent(student)?.Homeroom ?? A101;

    /// <summary>Rebuilds a second building from the recorded events and checks it matches this one exactly.</summary>
    public void AssertRebuildsIdentically()
    {
        var rebuilt = Rules.Building.Rebuild(Configuration, Events);
        Assert.Equal(StateDump.Of(Building), StateDump.Of(rebuilt));
    }

    private static BuildingConfiguration Create()
    {
        var a = new SectionId("A");
        var b = new SectionId("B");
        var admin = new SectionId("ADMIN");
        Section[] sections = [new(a, "A Wing", [b, admin]), new(b, "B Wing", [a, admin]), new(admin, "Office Wing", [a, b])];
        Room[] rooms =
        [
            new(A101, "Room A101", a, ["t-a101"]),
            new(A102, "Room A102", a, ["t-a102"]),
            new(B201, "Room B201", b, ["t-b201"]),
            new(NurseRoom, "Nurse's Office", admin, ["s-nurse"]),
            new(LibraryRoom, "Library", admin, ["s-library"]),
        ];
        Destination[] destinations =
        [
            new(RestroomA, "Restroom A", DestinationKind.Restroom, a, 1, TimeSpan.FromMinutes(8), SpanishName: "Baño A"),
            new(RestroomB, "Restroom B", DestinationKind.Restroom, b, 2, TimeSpan.FromMinutes(8), SpanishName: "Baño B"),
            new(RestroomHealth, "Health Restroom", DestinationKind.Restroom, admin, 1, TimeSpan.FromMinutes(12), Designated: true, SpanishName: "Baño de Salud"),
            new(Nurse, "Nurse", DestinationKind.Nurse, admin, 2, TimeSpan.FromMinutes(15), ArrivalRoom: NurseRoom, CountsTowardLimits: false, SpanishName: "Enfermería") { Staff = ["s-nurse"] },
            new(Counselor, "Counselor", DestinationKind.Counselor, admin, 2, TimeSpan.FromMinutes(20), ApprovalRequirement.DestinationStaff, CountsTowardLimits: false, Specialty: "college") { Staff = ["s-counselor"] },
            new(Library, "Library", DestinationKind.Library, admin, 5, TimeSpan.FromMinutes(20), ArrivalRoom: LibraryRoom, OneWay: true, SpanishName: "Biblioteca"),
            new(Water, "Water", DestinationKind.WaterFountain, a, 3, TimeSpan.FromMinutes(3), SpanishName: "Agua"),
            new(Office, "Main Office", DestinationKind.Office, admin, null, TimeSpan.FromMinutes(10), SpanishName: "Oficina"),
        ];
        Student Make(StudentId id, string first, string last, RoomId homeroom, Language language = Language.English) =>
            new(id, first, last, 10, language, homeroom, [CardOf(id), new Credential(CredentialKind.StudentNumber, "N-" + id.Value)]);
        Student[] students =
        [
            Make(Ana, "Ana", "García", A101),
            Make(Ben, "Ben", "Miller", A101),
            Make(Carla, "Carla", "Díaz", A101),
            Make(Dev, "Dev", "Patel", A102),
            Make(Eli, "Eli", "Smith", A102),
            Make(Fay, "Fay", "Jones", B201),
            Make(Gus, "Gus", "Lee", B201),
            Make(Mia, "Mia", "Torres", A102) with
            {
                Profile = new StudentProfile
                {
                    Accommodations = new Accommodations
                    {
                        Plan = "504",
                        ExemptFromCapacity = true,
                        ExemptFromPeriodBuffers = true,
                        ExemptFromDailyLimits = true,
                        ExtraTime = new Dictionary<DestinationKind, TimeSpan> { [DestinationKind.Restroom] = TimeSpan.FromMinutes(5) },
                    },
                },
            },
            Make(Noor, "Noor", "Haddad", B201) with { Profile = new StudentProfile { DesignatedRestrooms = [RestroomHealth] } },
            Make(Sofia, "Sofía", "Ramírez", B201, Language.Spanish) with { Profile = new StudentProfile { RestrictedDestinations = [Library] } },
        ];
        Kiosk[] kiosks =
        [
            new(KioskA101, A101, KioskStatus.Approved),
            new(KioskA102, A102, KioskStatus.Approved),
            new(KioskB201, B201, KioskStatus.Approved),
            new(KioskNurse, NurseRoom, KioskStatus.Approved),
            new(KioskLibrary, LibraryRoom, KioskStatus.Approved),
        ];
        static Period P(string name, int h1, int m1, int h2, int m2, bool allowed = true) => new(name, new TimeOnly(h1, m1), new TimeOnly(h2, m2), allowed);
        BellSchedule[] schedules =
        [
            new("regular", [P("1", 8, 0, 8, 50), P("2", 8, 55, 9, 45), P("3", 9, 50, 10, 40), P("4", 10, 45, 11, 35), P("5", 12, 10, 13, 0), P("6", 13, 5, 13, 55)]),
            new("testing", [P("1", 8, 0, 9, 30, allowed: false), P("2", 9, 35, 11, 5), P("3", 11, 10, 12, 0)]),
        ];
        return new BuildingConfiguration("test-school", "Test School", Zone.Id, sections, rooms, destinations, schedules, SchoolCalendar.MondayToFriday("regular"), students)
        {
            Kiosks = kiosks,
            Policy = new BuildingPolicy { DailyLimit = 3, RoomOutLimit = 2 },
        };
    }
}
