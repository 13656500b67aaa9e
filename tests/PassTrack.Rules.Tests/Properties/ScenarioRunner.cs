using PassTrack.Rules.Approvals;
using PassTrack.Rules.Emergencies;
using PassTrack.Rules.Encounters;
using PassTrack.Rules.Queues;
using PassTrack.Rules.Scheduling;
using PassTrack.Rules.Summons;
using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Properties;

/// <summary>
/// Plays a scenario against the test school and, after every operation, checks what must always hold.
/// A shadow building replays each recorded event one at a time, so every event is checked against the state just
/// before it, and after every operation the shadow (a rebuild from the log) must equal the live building.
/// </summary>
internal sealed class ScenarioRunner
{
    private static readonly StudentId[] StudentsInPlay = [Ana, Ben, Carla, Dev, Eli, Fay, Gus, Mia, Noor, Sofia];
    private static readonly DestinationId[] DestinationsInPlay = [RestroomA, RestroomB, RestroomHealth, Nurse, Counselor, Library, Water, Office];
    private static readonly KioskId[] KiosksInPlay = [KioskA101, KioskA102, KioskB201, KioskNurse, KioskLibrary];
    private static readonly Actor[] StaffInPlay = [TeacherA101, TeacherA102, CounselorStaff, Principal, Substitute];
    private static readonly EncounterGroupId[] GroupsInPlay = [new("trio"), new("pair-504"), new("pair-b")];

    private readonly TestSchool _school;
    private readonly Building _shadow;

    public ScenarioRunner(bool busyDay)
    {
        _school = new TestSchool(config => Configure(config, busyDay));
        _school.At(9, 10);
        _shadow = new Building(_school.Configuration);
    }

    public int Decisions { get; private set; }

    public IReadOnlyList<BuildingEvent> Events => _school.Events;

    public static BuildingConfiguration Configure(BuildingConfiguration config, bool busyDay)
    {
        config = config with
        {
            EncounterGroups =
            [
                new EncounterGroup(GroupsInPlay[0], [Ana, Dev, Fay]),
                new EncounterGroup(GroupsInPlay[1], [Ben, Mia]),
                new EncounterGroup(GroupsInPlay[2], [Gus, Noor]),
            ],
        };
        if (busyDay)
        {
            // Everything that lets passes start, so lines, offers and caps are exercised hard.
            config = config with
            {
                Schedules = config.Schedules.Select(s => s with { StartBuffer = TimeSpan.Zero, EndBuffer = TimeSpan.Zero }).ToList(),
                Policy = config.Policy with { PassesOutsidePeriods = true, DailyLimit = 6, RoomOutLimit = 3 },
            };
        }
        return config;
    }

    public void Run(Scenario scenario)
    {
        var step = 0;
        foreach (var op in scenario.Ops)
        {
            step++;
            var before = _school.Building.DescribeState();
            var eventsBefore = _school.Events.Count;
            Play(op);
            var recorded = _school.Events.Skip(eventsBefore).ToList();
            if (recorded.Count == 0)
            {
                Assert.True(before == _school.Building.DescribeState(), $"Step {step} ({op}) changed the building without recording it.");
            }
            foreach (var e in recorded)
            {
                CheckEvent(e, step, op);
                _shadow.Replay([e]);
            }
            CheckState(step, op);
            Assert.True(_school.Building.DescribeState() == _shadow.DescribeState(), $"Step {step} ({op}): the rebuilt building differs from the live one.");
        }
        var rebuilt = Building.Rebuild(_school.Configuration, _school.Events);
        Assert.Equal(_school.Building.DescribeState(), rebuilt.DescribeState());
    }

    private void Play(Op op)
    {
        var at = _school.Now;
        switch (op)
        {
            case Ask x:
                var student = Pick(StudentsInPlay, x.Student);
                Handle(new RequestPass(student, _school.HomeroomOf(student), Pick(DestinationsInPlay, x.Destination), PassSource.Kiosk, at, Actor.OfStudent(student)) { JoinQueueIfFull = x.JoinQueue });
                break;
            case TapCard x:
                var kiosk = Pick(KiosksInPlay, x.Kiosk);
                Handle(new Rules.Passes.Tap(kiosk, CardOf(Pick(StudentsInPlay, x.Student)), at, Actor.OfKiosk(kiosk)));
                break;
            case StaffPass x:
                var who = Pick(StudentsInPlay, x.Student);
                Handle(new RequestPass(who, _school.HomeroomOf(who), Pick(DestinationsInPlay, x.Destination), PassSource.StaffDashboard, at, Pick(StaffInPlay, x.Staff))
                {
                    Override = x.Override ? new RuleOverride("Property test override", x.OverrideEncounter) : null,
                });
                break;
            case StaffEnd x when PickOpen(x.Pick) is { } pass:
                Handle(new EndPass(pass, at, Pick(StaffInPlay, x.Staff)));
                break;
            case Withdraw x when PickOpen(x.Pick) is { } pass:
                Handle(new CancelPass(pass, at, Actor.OfStudent(_school.Pass(pass).Student)));
                break;
            case Approve x when PickOpen(x.Pick) is { } pass:
                Handle(new ApprovePass(pass, at, Pick(StaffInPlay, x.Staff)));
                break;
            case Deny x when PickOpen(x.Pick) is { } pass:
                Handle(new DenyPass(pass, at, Pick(StaffInPlay, x.Staff)));
                break;
            case ClaimFromScreen x when PickOpen(x.Pick) is { } pass:
                Handle(new ClaimPass(pass, at, Pick(StaffInPlay, x.Staff)));
                break;
            case Emergency x:
                Handle(new StartEmergency(x.Lockdown ? EmergencyKind.Lockdown : EmergencyKind.FireDrill, at, Principal));
                break;
            case AllClear:
                Handle(new ClearEmergency(at, Principal));
                break;
            case OpenOrClose x:
                var destination = _school.Building.FindDestination(Pick(DestinationsInPlay, x.Destination))!;
                Handle(new SaveDestination(destination with { Open = x.Open }, at, Principal));
                break;
            case SetCapacity x:
                var resized = _school.Building.FindDestination(Pick(DestinationsInPlay, x.Destination))!;
                Handle(new SaveDestination(resized with { Capacity = x.Capacity == 0 ? null : x.Capacity }, at, Principal));
                break;
            case PauseGroup x:
                var group = _school.Building.EncounterGroups.Single(g => g.Id == Pick(GroupsInPlay, x.Group));
                Handle(new SaveEncounterGroup(group with { Paused = x.Paused }, at, Principal));
                break;
            case SetRoomLimit x:
                Handle(new ChangePolicy(_school.Building.Policy with { RoomOutLimit = x.Limit }, at, Principal));
                break;
            case SummonStudent x:
                var target = _school.Building.FindDestination(Pick(DestinationsInPlay, x.Destination))!;
                Handle(new Summon([Pick(StudentsInPlay, x.Student)], new SummonsTarget(target.Kind, target.Id), SummonsPriority.Routine, at, CounselorStaff));
                break;
            case Schedule x:
                var scheduled = Pick(StudentsInPlay, x.Student);
                Handle(new SchedulePass(scheduled, _school.HomeroomOf(scheduled), Pick(DestinationsInPlay, x.Destination), at.AddMinutes(x.MinutesAhead), at, TeacherA101));
                break;
            case Tick x:
                _school.Wait(TimeSpan.FromSeconds(x.Seconds));
                Decisions++;
                break;
            default:
                break;
        }
    }

    private void Handle(BuildingCommand command)
    {
        _school.Handle(command);
        Decisions++;
    }

    private static T Pick<T>(T[] items, int index) => items[index % items.Length];

    private PassId? PickOpen(int index)
    {
        var open = _school.Building.OpenPasses.OrderBy(p => p.Id.Value).ToList();
        return open.Count == 0 ? null : open[index % open.Count].Id;
    }

    /// <summary>Checks one event against the building as it was just before it.</summary>
    private void CheckEvent(BuildingEvent e, int step, Op op)
    {
        var where = $"Step {step} ({op}), event {e.Sequence} {e}";
        switch (e)
        {
            case PassTransitioned { To: PassState.Active } started:
                var pass = _shadow.FindPass(started.Pass)!;
                var start = started.Start!;
                Assert.True(_shadow.Emergency is null, $"{where}: a pass started during an emergency.");
                if ((start.Exemptions & Exemptions.EncounterOverride) == 0)
                {
                    foreach (var group in _shadow.EncounterGroups.Where(g => !g.Paused && g.Members.Contains(pass.Student)))
                    {
                        foreach (var member in group.Members.Where(m => m != pass.Student))
                        {
                            Assert.True(_shadow.OpenPassOf(member)?.State != PassState.Active,
                                $"{where}: {pass.Student} started while {member} of group {group.Id} was out.");
                        }
                    }
                }
                var destination = _shadow.FindDestination(pass.Destination)!;
                if (destination.Capacity is { } capacity && (start.Exemptions & (Exemptions.Capacity | Exemptions.QueueClaim)) == 0)
                {
                    Assert.True(_shadow.Occupancy(destination.Id) < capacity,
                        $"{where}: {destination.Id} was at {_shadow.Occupancy(destination.Id)}/{capacity} and no exemption was recorded.");
                }
                if ((start.Exemptions & Exemptions.QueueClaim) != 0)
                {
                    Assert.True(pass.ClaimBy is not null, $"{where}: a queue claim without an offer.");
                }
                break;
            case QueueOfferMade offer:
                var offered = _shadow.FindDestination(offer.Destination)!;
                Assert.True(_shadow.Emergency is null, $"{where}: a place was offered during an emergency.");
                if (offered.Capacity is { } limit)
                {
                    Assert.True(_shadow.Occupancy(offered.Id) < limit, $"{where}: offered a place {offered.Id} does not have.");
                }
                foreach (var ahead in _shadow.QueueOf(offer.Destination).TakeWhile(id => id != offer.Pass))
                {
                    Assert.True(_shadow.FindPass(ahead)!.ClaimBy is not null, $"{where}: offered past {ahead}, who was ahead in line.");
                }
                break;
            case PassTransitioned transition:
                Assert.Equal(_shadow.FindPass(transition.Pass)?.State, transition.From);
                break;
            default:
                break;
        }
    }

    private void CheckState(int step, Op op)
    {
        var building = _school.Building;
        var where = $"Step {step} ({op})";
        var open = building.OpenPasses.Where(p => p.State!.Value.IsOpen()).ToList();
        foreach (var perStudent in open.GroupBy(p => p.Student))
        {
            Assert.True(perStudent.Count() == 1, $"{where}: {perStudent.Key} has {perStudent.Count()} open passes.");
        }
        var active = open.Where(p => p.State == PassState.Active).ToList();
        if (building.Emergency is not null)
        {
            Assert.True(active.Count == 0, $"{where}: {active.Count} passes active during an emergency.");
        }
        Assert.Equal(active.Count, building.InHalls);
        foreach (var destination in building.Destinations)
        {
            var queued = open.Where(p => p.State == PassState.Queued && p.Destination == destination.Id).ToList();
            Assert.Equal(active.Count(p => p.Destination == destination.Id) + queued.Count(p => p.ClaimBy is not null), building.Occupancy(destination.Id));
            // Served in order: nobody holds an offer behind someone still waiting for one.
            var line = building.QueueOf(destination.Id).Select(id => building.FindPass(id)!).ToList();
            Assert.Equal(queued.Count, line.Count);
            var waitingSeen = false;
            foreach (var pass in line)
            {
                waitingSeen |= pass.ClaimBy is null;
                Assert.False(waitingSeen && pass.ClaimBy is not null, $"{where}: {destination.Id} offered out of order.");
            }
        }
        foreach (var room in building.Rooms)
        {
            Assert.Equal(active.Count(p => p.Origin == room.Id), building.OutFrom(room.Id));
        }
    }
}
