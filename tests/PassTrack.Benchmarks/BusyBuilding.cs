using PassTrack.Contracts.Passes;
using PassTrack.Rules;
using PassTrack.Rules.Approvals;
using PassTrack.Rules.Configuration;
using PassTrack.Rules.Decisions;
using PassTrack.Rules.Demo;
using PassTrack.Rules.Passes;
using PassTrack.Rules.Students;

namespace PassTrack.Benchmarks;

/// <summary>
/// The largest building one edge serves (5,000 students, 100 classrooms, 20 destinations) in the middle of period 3
/// on a regular Tuesday, with students already out, lines at the restrooms, and taps arriving from every room.
/// </summary>
public sealed class BusyBuilding
{
    public static readonly DateTimeOffset MidPeriod = SchoolDay.LocalInstant(DemoSchool.WeekStart.AddDays(1), new TimeOnly(10, 5), TimeZoneInfo.FindSystemTimeZoneById(DemoSchool.TimeZoneId));

    private readonly Student[] _students;
    private readonly DestinationId[] _destinations;
    private readonly Dictionary<RoomId, KioskId> _kioskOfRoom;
    private readonly Actor[] _kioskActors;
    private readonly Dictionary<RoomId, Actor> _teacherOf;
    private readonly PriorityQueue<Student, int> _dueBack = new();
    private int _next;
    private int _nextStudent;

    /// <summary>How many decisions a granted student stays out for: sets how full the halls are.</summary>
    public const int HoldFor = 400;

    public BusyBuilding(BuildingConfiguration configuration, int seed = 7)
    {
        Building = new Building(configuration);
        var random = new Random(seed);
        _students = [.. configuration.Students.OrderBy(_ => random.Next())];
        // Students mostly ask for restrooms and water; some for the nurse, office, library and locker.
        _destinations = configuration.Destinations
            .SelectMany(d => Enumerable.Repeat(d.Id, d.Kind switch
            {
                DestinationKind.Restroom when !d.Designated => 6,
                DestinationKind.WaterFountain => 3,
                DestinationKind.Counselor or DestinationKind.Dean => 0,
                _ => 1,
            }))
            .OrderBy(_ => random.Next())
            .ToArray();
        _kioskOfRoom = configuration.Kiosks.ToDictionary(k => k.Room!.Value, k => k.Id);
        _kioskActors = configuration.Kiosks.Select(k => Actor.OfKiosk(k.Id)).ToArray();
        _teacherOf = configuration.Rooms.ToDictionary(r => r.Id, r => DemoSchool.Teacher(r.Id));

        // Run a while before measuring, so rooms, restrooms and lines are as busy as they will stay.
        for (var i = 0; i < 2_000; i++)
        {
            Next();
        }
        Building.TakeEvents();
    }

    public Building Building { get; }

    /// <summary>
    /// The next thing that happens: a student whose pass is due taps back in (a return, a claim of a held place, or a
    /// look at where they stand in line); otherwise the next student in the rotation asks for a pass.
    /// </summary>
    public Decision Next() => Decide(_next++);

    private Decision Decide(int i)
    {
        if (_dueBack.TryPeek(out var due, out var dueAt) && dueAt <= i)
        {
            _dueBack.Dequeue();
            // A pass waiting for the teacher gets the teacher's answer; everyone else taps their card.
            var decision = Building.OpenPassOf(due.Id) is { State: PassState.PendingApproval } pending
                ? Building.Handle(new ApprovePass(pending.Id, MidPeriod, _teacherOf[pending.Origin]))
                : TapHome(due, i);
            if (Building.OpenPassOf(due.Id) is not null)
            {
                _dueBack.Enqueue(due, i + HoldFor / 4);
            }
            return decision;
        }
        var student = _students[_nextStudent++ % _students.Length];
        if (Building.OpenPassOf(student.Id) is not null)
        {
            return TapHome(student, i);
        }
        var homeroom = student.Homeroom!.Value;
        var destination = _destinations[i % _destinations.Length];
        // Told the line is long, most students would rather not join it.
        var joinLine = Building.QueueOf(destination).Count < 3;
        var answer = Building.Handle(new RequestPass(student.Id, homeroom, destination, PassSource.Kiosk, MidPeriod, Actor.System) { JoinQueueIfFull = joinLine });
        if (Building.OpenPassOf(student.Id) is not null)
        {
            _dueBack.Enqueue(student, i + (answer.IsGranted ? HoldFor : HoldFor / 4));
        }
        return answer;
    }

    private Decision TapHome(Student student, int i) =>
        Building.Handle(new Tap(_kioskOfRoom[student.Homeroom!.Value], student.Credentials[0], MidPeriod, _kioskActors[i % _kioskActors.Length]));
}
