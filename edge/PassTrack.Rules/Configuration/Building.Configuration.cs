using PassTrack.Contracts.Passes;
using PassTrack.Rules.Configuration;
using PassTrack.Rules.Decisions;
using PassTrack.Rules.Encounters;
using PassTrack.Rules.Passes;
using PassTrack.Rules.Scheduling;
using PassTrack.Rules.Staff;
using PassTrack.Rules.Students;

namespace PassTrack.Rules;

// How the building is set up, and the commands that change it.
public sealed partial class Building
{
    private readonly Dictionary<SectionId, Section> _sections = [];
    private readonly Dictionary<RoomId, Room> _rooms = [];
    private readonly Dictionary<DestinationId, Destination> _destinations = [];
    private readonly Dictionary<RoomId, DestinationId> _destinationInRoom = [];
    private readonly Dictionary<StudentId, Student> _students = [];
    private readonly Dictionary<Credential, StudentId> _credentials = [];
    private readonly Dictionary<EncounterGroupId, EncounterGroup> _groups = [];
    private readonly Dictionary<StudentId, List<EncounterGroup>> _groupsOf = [];
    private readonly Dictionary<KioskId, Kiosk> _kiosks = [];
    private readonly Dictionary<string, BellSchedule> _schedules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PassBlackout> _blackouts = new(StringComparer.Ordinal);
    private readonly Dictionary<RecurringPassId, RecurringPass> _recurring = [];
    private SchoolCalendar _calendar = SchoolCalendar.MondayToFriday("regular");
    private BuildingPolicy _policy = new();

    public BuildingPolicy Policy => _policy;

    public SchoolCalendar Calendar => _calendar;

    public IReadOnlyCollection<Section> Sections => _sections.Values;

    public IReadOnlyCollection<Room> Rooms => _rooms.Values;

    public IReadOnlyCollection<Destination> Destinations => _destinations.Values;

    public IReadOnlyCollection<Student> Students => _students.Values;

    public IReadOnlyCollection<EncounterGroup> EncounterGroups => _groups.Values;

    public IReadOnlyCollection<Kiosk> Kiosks => _kiosks.Values;

    public IReadOnlyCollection<BellSchedule> Schedules => _schedules.Values;

    public IReadOnlyCollection<PassBlackout> Blackouts => _blackouts.Values;

    public IReadOnlyCollection<RecurringPass> RecurringPasses => _recurring.Values;

    public Student? FindStudent(StudentId id) => _students.GetValueOrDefault(id);

    public Student? FindStudent(Credential credential) =>
        _credentials.TryGetValue(credential, out var id) ? _students[id] : null;

    public Room? FindRoom(RoomId id) => _rooms.GetValueOrDefault(id);

    public Destination? FindDestination(DestinationId id) => _destinations.GetValueOrDefault(id);

    public Kiosk? FindKiosk(KioskId id) => _kiosks.GetValueOrDefault(id);

    /// <summary>The bell schedule and periods of the local day containing <paramref name="at"/>.</summary>
    public SchoolDay SchoolDayAt(DateTimeOffset at) => DayAt(at);

    private void LoadConfiguration(BuildingConfiguration c)
    {
        foreach (var s in c.Sections) { _sections[s.Id] = s; }
        foreach (var r in c.Rooms) { _rooms[r.Id] = r; }
        foreach (var d in c.Destinations) { PutDestination(d); }
        foreach (var s in c.Students) { PutStudent(s); }
        foreach (var g in c.EncounterGroups) { PutGroup(g); }
        foreach (var k in c.Kiosks) { _kiosks[k.Id] = k; }
        foreach (var s in c.Staff) { PutStaff(s); }
        foreach (var s in c.Schedules) { _schedules[s.DayType] = s; }
        foreach (var b in c.Blackouts) { _blackouts[b.Id] = b; }
        foreach (var r in c.RecurringPasses) { _recurring[r.Id] = r; }
        _calendar = c.Calendar;
        _policy = c.Policy;
    }

    private void ApplyConfiguration(ConfigurationChanged e)
    {
        switch (e)
        {
            case SectionSaved x: _sections[x.Section.Id] = x.Section; break;
            case RoomSaved x: _rooms[x.Room.Id] = x.Room; break;
            case DestinationSaved x: PutDestination(x.Destination); break;
            case StudentSaved x: PutStudent(x.Student); break;
            case EncounterGroupSaved x: PutGroup(x.Group); break;
            case EncounterGroupRemoved x: RemoveGroup(x.Group); break;
            case KioskSaved x: _kiosks[x.Kiosk.Id] = x.Kiosk; break;
            case PolicyChanged x: _policy = x.Policy; break;
            // The periods change, not where the day begins and ends: today's history stays.
            case BellScheduleSaved x: _schedules[x.Schedule.DayType] = x.Schedule; _day = null; break;
            case CalendarChanged x: _calendar = x.Calendar; _day = null; break;
            case BlackoutSaved x: _blackouts[x.Blackout.Id] = x.Blackout; break;
            case BlackoutRemoved x: _blackouts.Remove(x.Blackout); break;
            case StaffMemberSaved x: PutStaff(x.Staff); break;
            case CardEnrolled x: PutStudent(WithCard(_students[x.Student], x.Card)); break;
            default: throw new InvalidOperationException($"No way to apply {e.GetType().Name}.");
        }
    }

    private void PutDestination(Destination d)
    {
        if (_destinations.TryGetValue(d.Id, out var old) && old.ArrivalRoom is { } oldRoom && _destinationInRoom.GetValueOrDefault(oldRoom) == d.Id)
        {
            _destinationInRoom.Remove(oldRoom);
        }
        _destinations[d.Id] = d;
        if (d.ArrivalRoom is { } room)
        {
            _destinationInRoom.TryAdd(room, d.Id);
        }
    }

    private void PutStudent(Student s)
    {
        if (_students.TryGetValue(s.Id, out var old))
        {
            foreach (var c in old.Credentials)
            {
                _credentials.Remove(c);
            }
        }
        _students[s.Id] = s;
        foreach (var c in s.Credentials)
        {
            _credentials[c] = s.Id;
        }
    }

    private void PutGroup(EncounterGroup g)
    {
        RemoveGroup(g.Id);
        _groups[g.Id] = g;
        foreach (var member in g.Members)
        {
            if (!_groupsOf.TryGetValue(member, out var list))
            {
                _groupsOf[member] = list = [];
            }
            list.Add(g);
        }
    }

    private void RemoveGroup(EncounterGroupId id)
    {
        if (_groups.Remove(id, out var old))
        {
            foreach (var member in old.Members)
            {
                _groupsOf[member].RemoveAll(g => g.Id == id);
            }
        }
    }

    private Decision HandleConfiguration(BuildingCommand command)
    {
        if (!command.Actor.Can(StaffPermissions.Configure))
        {
            return Reject(ReasonCode.NotPermitted);
        }
        var at = command.At;
        var actor = command.Actor;
        switch (command)
        {
            case SaveSection c:
                Emit(new SectionSaved(c.Section, actor), at);
                break;
            case SaveRoom c:
                if (!_sections.ContainsKey(c.Room.Section))
                {
                    return Reject(ReasonCode.InvalidConfiguration);
                }
                Emit(new RoomSaved(c.Room, actor), at);
                break;
            case SaveDestination c:
                return SaveDestinationAndReroute(c);
            case SaveStudent c:
                return SaveStudentChecked(c);
            case SaveStaffMember c:
                return SaveStaffChecked(c);
            case SaveEncounterGroup c:
                if (c.Group.Members.Distinct().Count() < 2 || c.Group.Members.Any(m => !_students.ContainsKey(m)))
                {
                    return Reject(ReasonCode.InvalidConfiguration);
                }
                Emit(new EncounterGroupSaved(c.Group, actor), at);
                break;
            case RemoveEncounterGroup c:
                if (!_groups.ContainsKey(c.Group))
                {
                    return Reject(ReasonCode.InvalidConfiguration);
                }
                Emit(new EncounterGroupRemoved(c.Group, actor), at);
                break;
            case SaveKiosk c:
                if (c.Kiosk.Room is { } room && !_rooms.ContainsKey(room))
                {
                    return Reject(ReasonCode.UnknownRoom);
                }
                Emit(new KioskSaved(c.Kiosk, actor), at);
                break;
            case ChangePolicy c:
                if (c.Policy.DailyLimit < 0 || c.Policy.RoomOutLimit < 0 || c.Policy.ClaimWindow <= TimeSpan.Zero || c.Policy.ApprovalTimeout <= TimeSpan.Zero)
                {
                    return Reject(ReasonCode.InvalidConfiguration);
                }
                Emit(new PolicyChanged(c.Policy, actor), at);
                foreach (var id in _destinations.Keys.ToList())
                {
                    OfferFreedPlaces(id, at);
                }
                break;
            case SaveBellSchedule c:
                if (c.Schedule.Periods.Any(p => p.End <= p.Start))
                {
                    return Reject(ReasonCode.InvalidConfiguration);
                }
                Emit(new BellScheduleSaved(c.Schedule, actor), at);
                break;
            case ChangeCalendar c:
                Emit(new CalendarChanged(c.Calendar, actor), at);
                break;
            case SaveBlackout c:
                Emit(new BlackoutSaved(c.Blackout, actor), at);
                break;
            case RemoveBlackout c:
                if (!_blackouts.ContainsKey(c.Blackout))
                {
                    return Reject(ReasonCode.InvalidConfiguration);
                }
                Emit(new BlackoutRemoved(c.Blackout, actor), at);
                break;
            default:
                throw new ArgumentException($"Unknown command {command.GetType().Name}.", nameof(command));
        }
        return Accepted();
    }

    private Decision SaveStudentChecked(SaveStudent c)
    {
        var student = c.Student;
        foreach (var credential in student.Credentials)
        {
            if ((_credentials.TryGetValue(credential, out var owner) && owner != student.Id) || _staffCredentials.ContainsKey(credential))
            {
                // One card, one student: a credential already issued must be taken off its owner first.
                return Reject(ReasonCode.InvalidConfiguration);
            }
        }
        Emit(new StudentSaved(student, c.Actor), c.At);
        if (!student.Enrolled && _openByStudent.TryGetValue(student.Id, out var open) && _passes[open].State != PassState.Active)
        {
            var pass = _passes[open];
            var destination = pass.Destination;
            Transition(pass, PassState.Cancelled, TransitionCause.StudentUnenrolled, c.Actor, c.At);
            OfferFreedPlaces(destination, c.At);
        }
        return Accepted();
    }

    private Decision SaveDestinationAndReroute(SaveDestination c)
    {
        var d = c.Destination;
        if (d.Section is { } section && !_sections.ContainsKey(section))
        {
            return Reject(ReasonCode.InvalidConfiguration);
        }
        if (d.Capacity < 0 || d.TimeLimit <= TimeSpan.Zero)
        {
            return Reject(ReasonCode.InvalidConfiguration);
        }
        Emit(new DestinationSaved(d, c.Actor), c.At);
        if (!d.Open)
        {
            RerouteWaitingPasses(d, c.At, c.Actor);
        }
        else
        {
            OfferFreedPlaces(d.Id, c.At);
        }
        return Accepted();
    }
}
