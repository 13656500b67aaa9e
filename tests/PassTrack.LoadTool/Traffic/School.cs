using PassTrack.Rules.Configuration;
using PassTrack.Rules.Demo;
using PassTrack.Rules.Students;

namespace PassTrack.LoadTool.Traffic;

/// <summary>A student as the simulation sees them: who, their card, and where they sit.</summary>
public sealed record SimStudent(int Index, string Id, string FirstName, string Card, string Homeroom, string Wing);

/// <summary>A place a student can ask to go, how often students pick it, and the room of its own kiosk if it has one.</summary>
public sealed record SimDestination(string Id, string Name, DestinationKind Kind, string? Wing, string? ArrivalRoom, double Weight);

/// <summary>
/// The school the simulated students belong to: the edge's demo school, made in-process from the same generator and
/// seed the edge uses for <c>--demo</c>, so the students, cards and rooms are the ones the edge knows.
/// </summary>
public sealed class School
{
    private static readonly Dictionary<DestinationKind, double> KindWeights = new()
    {
        [DestinationKind.Restroom] = 52,
        [DestinationKind.WaterFountain] = 12,
        [DestinationKind.Locker] = 9,
        [DestinationKind.Library] = 8,
        [DestinationKind.Nurse] = 7,
        [DestinationKind.Office] = 6,
        [DestinationKind.Counselor] = 4,
        [DestinationKind.Dean] = 2,
    };

    private School(string name, IReadOnlyList<SimStudent> students, IReadOnlyList<string> classrooms, IReadOnlyList<string> otherRooms, IReadOnlyList<SimDestination> destinations)
    {
        Name = name;
        Students = students;
        Classrooms = classrooms;
        OtherRooms = otherRooms;
        Destinations = destinations;
        Index();
    }

    public string Name { get; }

    public IReadOnlyList<SimStudent> Students { get; }

    /// <summary>Rooms that are some students' homeroom.</summary>
    public IReadOnlyList<string> Classrooms { get; }

    /// <summary>The nurse's office, the main office, the library...: rooms with a kiosk students tap on arrival.</summary>
    public IReadOnlyList<string> OtherRooms { get; }

    public IReadOnlyList<SimDestination> Destinations { get; }

    public static School Demo(string size)
    {
        var schoolSize = size.ToUpperInvariant() switch
        {
            "LARGE" => DemoSchoolSize.Large,
            "TYPICAL" => DemoSchoolSize.Typical,
            _ => throw new Cli.UsageException($"--demo-size: '{size}' is not Typical or Large."),
        };
        return From(DemoSchool.Create(schoolSize));
    }

    public static School From(BuildingConfiguration configuration) => Of(
        configuration.Name,
        configuration.Rooms.Select(r => (r.Id.Value, r.Section.Value)).ToList(),
        configuration.Students
            .Where(s => s.Enrolled && s.Homeroom is not null && s.Credentials.Any(c => c.Kind == CredentialKind.Card))
            .Select(s => (s.Id.Value, s.FirstName, s.Credentials.First(c => c.Kind == CredentialKind.Card).Value, s.Homeroom!.Value.Value))
            .ToList(),
        configuration.Destinations
            .Where(d => d.Open && !d.Designated)
            .Select(d => (d.Id.Value, d.Name, d.Kind, d.Section?.Value, d.ArrivalRoom?.Value))
            .ToList());

    /// <summary>A school from its parts: rooms (id, section), students (id, first name, card hex, homeroom), and the open, undesignated destinations.</summary>
    public static School Of(
        string name,
        IReadOnlyList<(string Id, string Section)> rooms,
        IReadOnlyList<(string Id, string FirstName, string Card, string Homeroom)> students,
        IReadOnlyList<(string Id, string Name, DestinationKind Kind, string? Section, string? ArrivalRoom)> destinations)
    {
        var wingOf = rooms.ToDictionary(r => r.Id, r => r.Section, StringComparer.Ordinal);
        var simStudents = students.Select((s, i) => new SimStudent(i, s.Id, s.FirstName, s.Card, s.Homeroom, wingOf.GetValueOrDefault(s.Homeroom, ""))).ToList();
        var homerooms = simStudents.Select(s => s.Homeroom).ToHashSet(StringComparer.Ordinal);
        var classrooms = rooms.Select(r => r.Id).Where(homerooms.Contains).ToList();
        var others = rooms.Select(r => r.Id).Where(r => !homerooms.Contains(r)).ToList();
        var simDestinations = destinations.Select(d => new SimDestination(d.Id, d.Name, d.Kind, d.Section, d.ArrivalRoom, KindWeights.GetValueOrDefault(d.Kind, 1))).ToList();
        return new School(name, simStudents, classrooms, others, simDestinations);
    }

    /// <summary>
    /// Which room each of <paramref name="kiosks"/> kiosks hangs in: every classroom gets one before any gets a second,
    /// and once there are more kiosks than classrooms the nurse, office, library... get theirs.
    /// </summary>
    public IReadOnlyList<string> KioskRooms(int kiosks)
    {
        var rooms = kiosks > Classrooms.Count ? Classrooms.Concat(OtherRooms).ToList() : Classrooms.ToList();
        return Enumerable.Range(0, kiosks).Select(i => rooms[i % rooms.Count]).ToList();
    }

    /// <summary>Where a student asks to go: mostly the restroom or the water fountain in their own wing.</summary>
    public SimDestination PickDestination(SimStudent student, Random random)
    {
        var roll = random.NextDouble() * _totalWeight;
        var kind = KindWeights.Keys.Last();
        foreach (var (k, weight) in KindWeights)
        {
            roll -= weight;
            if (roll < 0)
            {
                kind = k;
                break;
            }
        }
        var pool = _byKindAndWing.GetValueOrDefault((kind, student.Wing)) ?? _byKindAndWing.GetValueOrDefault((kind, "")) ?? Destinations;
        return pool[random.Next(pool.Count)];
    }

    private readonly double _totalWeight = KindWeights.Values.Sum();
    private Dictionary<(DestinationKind, string), IReadOnlyList<SimDestination>> _byKindAndWing = [];

    /// <summary>Per kind: the destinations in each wing, and under "" all of that kind (for wings without one).</summary>
    private void Index()
    {
        var index = new Dictionary<(DestinationKind, string), IReadOnlyList<SimDestination>>();
        foreach (var group in Destinations.GroupBy(d => d.Kind))
        {
            index[(group.Key, "")] = group.ToList();
            foreach (var wing in Students.Select(s => s.Wing).Distinct(StringComparer.Ordinal))
            {
                var local = group.Where(d => string.Equals(d.Wing, wing, StringComparison.Ordinal)).ToList();
                if (local.Count > 0)
                {
                    index[(group.Key, wing)] = local;
                }
            }
        }
        _byKindAndWing = index;
    }
}
