using PassTrack.Contracts.Passes;
using PassTrack.Rules.Encounters;
using PassTrack.Rules.Passes;
using PassTrack.Rules.Students;

namespace PassTrack.Rules;

// Rule 10 and everything else that must hold at the start of any pass, however it starts.
public sealed partial class Building
{
    /// <summary>Another member of one of the student's active groups is out (or holds a place about to be).</summary>
    private bool EncounterConflict(StudentId student, out EncounterGroup group, out Pass other)
    {
        group = null!;
        other = null!;
        if (!_groupsOf.TryGetValue(student, out var groups))
        {
            return false;
        }
        foreach (var g in groups)
        {
            if (g.Paused)
            {
                continue;
            }
            foreach (var member in g.Members)
            {
                if (member != student && _openByStudent.TryGetValue(member, out var id) && _passes[id].State == PassState.Active)
                {
                    group = g;
                    other = _passes[id];
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>
    /// What must hold whenever any pass starts, whatever started it (approval, a queue claim, a schedule): no
    /// emergency, no other open pass, no encounter group member out (unless overridden), and the room and hallway caps
    /// (unless overridden or pre-arranged). A blocked attempt by a person is logged each time; a schedule retrying on
    /// every tick is logged once.
    /// </summary>
    private ReasonCode? StartBlocker(Student student, Pass pass, DateTimeOffset at, Exemptions exemptions, bool logEveryAttempt = true)
    {
        var checkRoomAndHalls = (exemptions & (Exemptions.StaffOverride | Exemptions.Scheduled)) == 0;
        if (_emergency is { } emergency)
        {
            return EmergencyReason(emergency.Kind);
        }
        if (_openByStudent.TryGetValue(student.Id, out var open) && open != pass.Id)
        {
            return _passes[open].State == PassState.Active ? ReasonCode.AlreadyOut : ReasonCode.PassAlreadyWaiting;
        }
        if (checkRoomAndHalls)
        {
            var origin = _rooms[pass.Origin];
            if (OutFrom(origin.Id) >= (origin.MaxOut ?? _policy.RoomOutLimit))
            {
                return ReasonCode.RoomOutLimit;
            }
            if (_policy.BuildingCap is { } cap && _inHalls >= cap)
            {
                return ReasonCode.BuildingCap;
            }
        }
        if ((exemptions & Exemptions.EncounterOverride) == 0 && EncounterConflict(student.Id, out var group, out var other))
        {
            if (logEveryAttempt || !pass.BlockedAttemptLogged)
            {
                Emit(new EncounterAttemptBlocked(student.Id, pass.Origin, pass.Destination, group.Id, other.Student, other.Id, pass.Source) { Pass = pass.Id }, at);
            }
            return ReasonCode.EncounterBlocked;
        }
        return null;
    }

    private void ApplyEncounterBlocked(EncounterAttemptBlocked e)
    {
        if (e.Pass is { } id && _passes.TryGetValue(id, out var pass))
        {
            pass.BlockedAttemptLogged = true;
        }
    }
}
