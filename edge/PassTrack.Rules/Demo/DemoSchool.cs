using System.Globalization;
using PassTrack.Contracts;
using PassTrack.Rules.Configuration;
using PassTrack.Rules.Encounters;
using PassTrack.Rules.Students;

namespace PassTrack.Rules.Demo;

/// <summary>How big a demo school to make.</summary>
public sealed record DemoSchoolSize(int Students, int Classrooms, int Wings)
{
    /// <summary>A typical high school: 1,200 students, 40 classrooms in four wings.</summary>
    public static readonly DemoSchoolSize Typical = new(1_200, 40, 4);

    /// <summary>The largest building one edge serves: 5,000 students, 100 classrooms (plus the nurse, office...), 20 destinations.</summary>
    public static readonly DemoSchoolSize Large = new(5_000, 100, 4);
}

/// <summary>
/// A realistic, repeatable school for demos, tests and benchmarks: wings with their own restrooms, a nurse, an office,
/// two counselors and a dean behind approval, a library, a designated restroom, a week of bell schedules with a
/// testing day, 504 plans, restricted destinations, encounter groups and a kiosk in every room.
/// The same seed always gives the same school.
/// </summary>
public static class DemoSchool
{
    public const string TimeZoneId = "America/New_York";

    /// <summary>The Monday of the demo week. Wednesday is a testing day, Friday a half day.</summary>
    public static readonly DateOnly WeekStart = new(2026, 11, 30);

    public static readonly StaffPermissions TeacherPermissions = StaffPermissions.Teacher;

    private static readonly string[] FirstNames =
    [
        "Ana", "Liam", "Sofía", "Noah", "Mateo", "Olivia", "Camila", "Ethan", "Valentina", "Jayden", "Isabella", "Lucas",
        "Mía", "Elijah", "Daniela", "Aiden", "Ximena", "Mason", "Lucía", "Logan", "Emma", "Diego", "Ava", "Santiago",
        "Harper", "Carlos", "Zoe", "Alejandro", "Chloe", "Gabriel", "Layla", "Julián", "Nora", "Samuel", "Aaliyah", "Iván",
    ];

    private static readonly string[] LastNames =
    [
        "García", "Smith", "Martínez", "Johnson", "López", "Williams", "Hernández", "Brown", "González", "Jones",
        "Pérez", "Miller", "Rodríguez", "Davis", "Sánchez", "Wilson", "Ramírez", "Anderson", "Torres", "Thomas",
        "Flores", "Taylor", "Rivera", "Moore", "Gómez", "Jackson", "Díaz", "Martin", "Cruz", "Lee", "Morales", "Nguyen",
    ];

    public static BuildingConfiguration Create(DemoSchoolSize size, int seed = 20261130, string buildingId = "lincoln-hs", string name = "Lincoln High School")
    {
        ArgumentNullException.ThrowIfNull(size);
        var random = new Random(seed);
        var wings = Enumerable.Range(0, size.Wings).Select(i => ((char)('A' + i)).ToString()).ToList();

        var sections = new List<Section>();
        for (var i = 0; i < wings.Count; i++)
        {
            var nearby = wings.Select((w, j) => (w, distance: Math.Abs(i - j))).Where(x => x.distance > 0)
                .OrderBy(x => x.distance).ThenBy(x => x.w, StringComparer.Ordinal).Select(x => new SectionId(x.w)).ToList();
            nearby.Add(new SectionId("ADMIN"));
            sections.Add(new Section(new SectionId(wings[i]), $"{wings[i]} Wing", nearby));
        }
        sections.Add(new Section(new SectionId("ADMIN"), "Main Office Wing", wings.Select(w => new SectionId(w)).ToList()));

        var rooms = new List<Room>();
        for (var i = 0; i < size.Classrooms; i++)
        {
            var wing = wings[i % wings.Count];
            var number = 100 + (i / wings.Count) + 1;
            var id = $"{wing}{number}";
            rooms.Add(new Room(new RoomId(id), $"Room {id}", new SectionId(wing), [$"t-{id}"]));
        }
        foreach (var (id, roomName) in new[] { ("NURSE", "Nurse's Office"), ("OFFICE", "Main Office"), ("LIBRARY", "Library"), ("COUNSEL", "Counseling"), ("DEAN", "Dean's Office") })
        {
            rooms.Add(new Room(new RoomId(id), roomName, new SectionId("ADMIN"), [$"s-{id.ToLowerInvariant()}"]));
        }

        var destinations = new List<Destination>();
        foreach (var wing in wings)
        {
            var section = new SectionId(wing);
            destinations.Add(new Destination(new DestinationId($"restroom-{wing.ToLowerInvariant()}-north"), $"Restroom {wing} North", DestinationKind.Restroom, section, 2, TimeSpan.FromMinutes(8), SpanishName: $"Baño {wing} Norte"));
            destinations.Add(new Destination(new DestinationId($"restroom-{wing.ToLowerInvariant()}-south"), $"Restroom {wing} South", DestinationKind.Restroom, section, 2, TimeSpan.FromMinutes(8), SpanishName: $"Baño {wing} Sur"));
            destinations.Add(new Destination(new DestinationId($"water-{wing.ToLowerInvariant()}"), $"Water {wing}", DestinationKind.WaterFountain, section, 3, TimeSpan.FromMinutes(3), SpanishName: $"Agua {wing}", CountsTowardLimits: false));
        }
        var admin = new SectionId("ADMIN");
        destinations.Add(new Destination(new DestinationId("nurse"), "Nurse", DestinationKind.Nurse, admin, 4, TimeSpan.FromMinutes(15), ArrivalRoom: new RoomId("NURSE"), CountsTowardLimits: false, SpanishName: "Enfermería") { Staff = ["s-nurse"] });
        destinations.Add(new Destination(new DestinationId("office"), "Main Office", DestinationKind.Office, admin, 6, TimeSpan.FromMinutes(10), ArrivalRoom: new RoomId("OFFICE"), SpanishName: "Oficina") { Staff = ["s-office"] });
        destinations.Add(new Destination(new DestinationId("counselor-ruiz"), "Counselor Ruiz", DestinationKind.Counselor, admin, 2, TimeSpan.FromMinutes(20), ApprovalRequirement.DestinationStaff, ArrivalRoom: new RoomId("COUNSEL"), CountsTowardLimits: false, SpanishName: "Consejera Ruiz", Specialty: "A-L") { Staff = ["s-ruiz"] });
        destinations.Add(new Destination(new DestinationId("counselor-chen"), "Counselor Chen", DestinationKind.Counselor, admin, 2, TimeSpan.FromMinutes(20), ApprovalRequirement.DestinationStaff, CountsTowardLimits: false, SpanishName: "Consejero Chen", Specialty: "M-Z") { Staff = ["s-chen"] });
        destinations.Add(new Destination(new DestinationId("dean"), "Dean", DestinationKind.Dean, admin, 3, TimeSpan.FromMinutes(15), ApprovalRequirement.DestinationStaff, ArrivalRoom: new RoomId("DEAN"), SpanishName: "Decano") { Staff = ["s-dean"] });
        destinations.Add(new Destination(new DestinationId("library"), "Library", DestinationKind.Library, admin, 10, TimeSpan.FromMinutes(20), ArrivalRoom: new RoomId("LIBRARY"), OneWay: false, SpanishName: "Biblioteca") { Staff = ["s-library"] });
        destinations.Add(new Destination(new DestinationId("restroom-health"), "Health Office Restroom", DestinationKind.Restroom, admin, 1, TimeSpan.FromMinutes(12), Designated: true, SpanishName: "Baño de Salud"));
        destinations.Add(new Destination(new DestinationId("locker"), "Locker", DestinationKind.Locker, null, 6, TimeSpan.FromMinutes(4), SpanishName: "Casillero"));

        var restroomsByWing = wings.ToDictionary(w => w, w => destinations.Where(d => d.Kind == DestinationKind.Restroom && d.Section == new SectionId(w)).Select(d => d.Id).ToList(), StringComparer.Ordinal);

        var schedules = Schedules();
        var classrooms = rooms.Take(size.Classrooms).ToList();
        var students = new List<Student>(size.Students);
        for (var i = 0; i < size.Students; i++)
        {
            var number = (100000 + i).ToString(CultureInfo.InvariantCulture);
            var first = FirstNames[random.Next(FirstNames.Length)];
            var last = LastNames[random.Next(LastNames.Length)];
            var homeroom = classrooms[i % classrooms.Count];
            var uid = new byte[random.Next(10) < 8 ? 4 : 7];
            random.NextBytes(uid);
            if (uid.Length == 7)
            {
                uid[0] = 0x04; // NXP manufacturer byte, as on most 7-byte UIDs
            }
            var timetable = schedules[0].Periods.Where(p => p.Name != "Lunch")
                .ToDictionary(p => p.Name, p => classrooms[random.Next(classrooms.Count)].Id, StringComparer.Ordinal);
            var profile = StudentProfile.Default;
            var roll = random.Next(100);
            if (roll < 3)
            {
                profile = profile with
                {
                    Accommodations = new Accommodations
                    {
                        Plan = "504",
                        ExemptFromDailyLimits = true,
                        ExemptFromCapacity = roll == 0,
                        ExemptFromPeriodBuffers = true,
                        ExtraTime = new Dictionary<DestinationKind, TimeSpan> { [DestinationKind.Restroom] = TimeSpan.FromMinutes(7) },
                    },
                };
            }
            else if (roll == 3)
            {
                profile = profile with { DesignatedRestrooms = [new DestinationId("restroom-health")], Accommodations = new Accommodations { Plan = "Medical" } };
            }
            else if (roll == 4)
            {
                profile = profile with { RestrictedDestinations = [new DestinationId("locker"), new DestinationId("library")] };
            }
            var counselor = string.CompareOrdinal(last, "M") < 0 ? "counselor-ruiz" : "counselor-chen";
            students.Add(new Student(
                new StudentId(number),
                first,
                last,
                9 + (i % 4),
                random.Next(100) < 15 ? Language.Spanish : Language.English,
                homeroom.Id,
                [new Credential(CredentialKind.Card, Convert.ToHexString(uid)), new Credential(CredentialKind.Barcode, number), new Credential(CredentialKind.StudentNumber, number)])
            {
                Profile = profile with { Counselor = new DestinationId(counselor) },
                Timetable = timetable,
            });
        }

        var groups = new List<EncounterGroup>();
        for (var g = 0; g < Math.Max(3, size.Students / 250); g++)
        {
            var members = Enumerable.Range(0, g % 3 == 0 ? 3 : 2).Select(_ => students[random.Next(students.Count)].Id).Distinct().ToList();
            if (members.Count >= 2)
            {
                groups.Add(new EncounterGroup(new EncounterGroupId($"group-{g + 1}"), members, Note: "Keep apart (counselor's note)"));
            }
        }

        var kiosks = rooms.Select(r => new Kiosk(new KioskId($"kiosk-{r.Id.Value.ToLowerInvariant()}"), r.Id, KioskStatus.Approved)).ToList();

        var calendar = new SchoolCalendar(
            new Dictionary<DayOfWeek, string>
            {
                [DayOfWeek.Monday] = "regular",
                [DayOfWeek.Tuesday] = "regular",
                [DayOfWeek.Wednesday] = "regular",
                [DayOfWeek.Thursday] = "regular",
                [DayOfWeek.Friday] = "regular",
            },
            new Dictionary<DateOnly, string?>
            {
                [WeekStart.AddDays(2)] = "testing",
                [WeekStart.AddDays(4)] = "half-day",
                [WeekStart.AddDays(7)] = "delayed-start",
            });

        return new BuildingConfiguration(buildingId, name, TimeZoneId, sections, rooms, destinations, schedules, calendar, students)
        {
            EncounterGroups = groups,
            Kiosks = kiosks,
            Staff = StaffRoster(rooms),
            Policy = new BuildingPolicy { DailyLimit = 3, WeeklyLimit = 12, RoomOutLimit = 2 },
        };
    }

    /// <summary>The staff members of the demo school, with what each may do.</summary>
    public static Actor Teacher(RoomId room) => Actor.Staff($"t-{room.Value}", $"Teacher of {room.Value}", StaffPermissions.Teacher);

    public static readonly Actor Principal = Actor.Staff("s-principal", "Dr. Okafor (principal)", StaffPermissions.Administrator);

    public static readonly Actor CounselorRuiz = Actor.Staff("s-ruiz", "Ms. Ruiz (counselor)", StaffPermissions.ApprovePasses | StaffPermissions.Summon | StaffPermissions.OverrideRules | StaffPermissions.OverrideEncounter | StaffPermissions.CreatePasses);

    public static readonly Actor Nurse = Actor.Staff("s-nurse", "Mr. Patel (nurse)", StaffPermissions.ApprovePasses | StaffPermissions.Summon | StaffPermissions.CreatePasses | StaffPermissions.EndPasses);

    /// <summary>The principal's badge: every staff action at any kiosk.</summary>
    public const string PrincipalCard = "05AD0000000001";

    /// <summary>The teacher of the <paramref name="n"/>-th room's badge (1-based, in the order the rooms are made).</summary>
    public static string TeacherCard(int n) => string.Create(CultureInfo.InvariantCulture, $"05{n:X12}");

    /// <summary>Who carries a badge: 7-byte UIDs starting 05, which no student card in the demo has.</summary>
    private static List<Staff.StaffMember> StaffRoster(List<Room> rooms)
    {
        static Staff.StaffMember Member(Actor a, string card) =>
            new(new StaffId(a.Id), a.Name, a.Permissions, [new Credential(CredentialKind.Card, card)]);
        var roster = new List<Staff.StaffMember>
        {
            Member(Principal, PrincipalCard),
            Member(CounselorRuiz, "05AD0000000002"),
            Member(Nurse, "05AD0000000003"),
        };
        roster.AddRange(rooms.Where(r => r.Id.Value.Any(char.IsAsciiDigit)).Select((r, i) => Member(Teacher(r.Id), TeacherCard(i + 1))));
        return roster;
    }

    private static List<BellSchedule> Schedules()
    {
        static Period P(string name, int h1, int m1, int h2, int m2, bool allowed = true) => new(name, new TimeOnly(h1, m1), new TimeOnly(h2, m2), allowed);
        return
        [
            new BellSchedule("regular",
            [
                P("1", 8, 0, 8, 50), P("2", 8, 55, 9, 45), P("3", 9, 50, 10, 40), P("4", 10, 45, 11, 35),
                P("Lunch", 11, 35, 12, 5, allowed: false), P("5", 12, 10, 13, 0), P("6", 13, 5, 13, 55), P("7", 14, 0, 14, 50),
            ]),
            new BellSchedule("testing",
            [
                P("1", 8, 0, 9, 30, allowed: false), P("2", 9, 35, 11, 5, allowed: false), P("Lunch", 11, 5, 11, 35, allowed: false),
                P("5", 11, 40, 12, 35), P("6", 12, 40, 13, 35), P("7", 13, 40, 14, 50),
            ]),
            new BellSchedule("half-day",
            [
                P("1", 8, 0, 8, 35), P("2", 8, 40, 9, 15), P("3", 9, 20, 9, 55), P("4", 10, 0, 10, 35), P("5", 10, 40, 11, 15),
                P("6", 11, 20, 11, 55), P("7", 12, 0, 12, 35),
            ]) { StartBuffer = TimeSpan.FromMinutes(5), EndBuffer = TimeSpan.FromMinutes(5) },
            new BellSchedule("delayed-start",
            [
                P("1", 10, 0, 10, 35), P("2", 10, 40, 11, 15), P("3", 11, 20, 11, 55), P("Lunch", 11, 55, 12, 25, allowed: false),
                P("4", 12, 30, 13, 5), P("5", 13, 10, 13, 45), P("6", 13, 50, 14, 25), P("7", 14, 30, 14, 50),
            ]) { StartBuffer = TimeSpan.FromMinutes(5), EndBuffer = TimeSpan.FromMinutes(5) },
        ];
    }
}
