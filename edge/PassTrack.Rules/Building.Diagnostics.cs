using System.Globalization;
using System.Text;

namespace PassTrack.Rules;

// A canonical text picture of the whole live state: two buildings in the same state print the same text.
// Used to prove a rebuild from the log matches the building that wrote it.
public sealed partial class Building
{
    internal string DescribeState()
    {
        var i = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(i, $"seq={_lastSequence} lastPass={_lastPassId} lastSummons={_lastSummonsId} inHalls={_inHalls} dayEnd={_liveDayEnd:O}\n");
        text.Append(i, $"emergency={_emergency?.Kind} since={_emergency?.StartedAt:O}\n");
        foreach (var s in _emergency?.StudentsOut.OrderBy(s => s.Student.Value, StringComparer.Ordinal) ?? Enumerable.Empty<Emergencies.StudentOut>())
        {
            text.Append(i, $"  out {s}\n");
        }
        foreach (var p in _passes.Values.Concat(_closedToday.Values).OrderBy(p => p.Id.Value))
        {
            text.Append(i, $"pass {p.Id} {p.Student} {p.Origin}->{p.Destination} (asked {p.Requested}, {p.Routing}) {p.State} src={p.Source} by={p.CreatedBy.Id} ")
                .Append(i, $"created={p.CreatedAt:O} sched={p.ScheduledFor:O} queued={p.QueuedAt:O} claimBy={p.ClaimBy:O} ")
                .Append(i, $"approval={p.ApprovalRoute}/{p.ApprovalReason}/{p.ApprovalBy:O}/{p.CarriedExemptions}/{p.CarriedOverrideComment} start={p.StartedAt:O} limit={p.TimeLimit} autoEnd={p.AutoEndAt:O} ")
                .Append(i, $"ex={p.Exemptions} ovr={p.OverrideComment} overdue={p.Overdue} arrived={p.ArrivedAt:O}@{p.ArrivedIn} wrong={p.WrongDestination} ")
                .Append(i, $"never={p.NeverArrived} review={p.NeedsReview} end={p.EndedAt:O}/{p.EndCause}/{p.EndedBy?.Id} blocked={p.BlockedAttemptLogged} ")
                .Append(i, $"summons={p.Summons} recurring={p.Recurring} comment={p.Comment}\n");
        }
        foreach (var (student, pass) in _openByStudent.OrderBy(x => x.Key.Value, StringComparer.Ordinal))
        {
            text.Append(i, $"open {student}={pass}\n");
        }
        foreach (var (destination, load) in _loads.Where(x => x.Value.Active != 0 || x.Value.Offered != 0 || x.Value.Queue.Count != 0).OrderBy(x => x.Key.Value, StringComparer.Ordinal))
        {
            text.Append(i, $"load {destination} active={load.Active} offered={load.Offered} queue=[{string.Join(",", load.Queue)}]\n");
        }
        foreach (var (room, count) in _outByRoom.Where(x => x.Value != 0).OrderBy(x => x.Key.Value, StringComparer.Ordinal))
        {
            text.Append(i, $"out {room}={count}\n");
        }
        foreach (var (student, t) in _tallies.OrderBy(x => x.Key.Value, StringComparer.Ordinal))
        {
            text.Append(i, $"tally {student} day={t.Day}:{t.DayCount} week={t.Week}:{t.WeekCount} last={t.LastEndedAt:O}\n");
        }
        foreach (var s in _summons.Values.OrderBy(s => s.Id.Value))
        {
            text.Append(i, $"summons {s.Id} {s.Student}->{s.Destination} {s.Priority} {s.State} pass={s.Pass} deliver={s.DeliverTo}\n");
        }
        foreach (var (student, room, period) in _tardies.OrderBy(x => x.Item1.Value, StringComparer.Ordinal).ThenBy(x => x.Item3, StringComparer.Ordinal))
        {
            text.Append(i, $"tardy {student} {room} {period}\n");
        }
        foreach (var (id, date) in _recurringLastDate.OrderBy(x => x.Key.Value, StringComparer.Ordinal))
        {
            text.Append(i, $"recurring {id} last={date}\n");
        }
        text.Append(i, $"policy {_policy}\ncalendar {_calendar.Overrides.Count}\n");
        foreach (var d in _destinations.Values.OrderBy(d => d.Id.Value, StringComparer.Ordinal))
        {
            text.Append(i, $"destination {d}\n");
        }
        foreach (var s in _students.Values.OrderBy(s => s.Id.Value, StringComparer.Ordinal))
        {
            text.Append(i, $"student {s.Id} {s.Enrolled} {s.Profile.GetHashCode()} {string.Join(",", s.Credentials)}\n");
        }
        foreach (var g in _groups.Values.OrderBy(g => g.Id.Value, StringComparer.Ordinal))
        {
            text.Append(i, $"group {g.Id} paused={g.Paused} [{string.Join(",", g.Members)}]\n");
        }
        foreach (var k in _kiosks.Values.OrderBy(k => k.Id.Value, StringComparer.Ordinal))
        {
            text.Append(i, $"kiosk {k}\n");
        }
        foreach (var m in _staff.Values.OrderBy(m => m.Id.Value, StringComparer.Ordinal))
        {
            text.Append(i, $"staff {m.Id} {m.Name} {m.Permissions} {m.Active} {string.Join(",", m.Credentials)}\n");
        }
        foreach (var b in _blackouts.Values.OrderBy(b => b.Id, StringComparer.Ordinal))
        {
            text.Append(i, $"blackout {b}\n");
        }
        foreach (var r in _recurring.Values.OrderBy(r => r.Id.Value, StringComparer.Ordinal))
        {
            text.Append(i, $"recurringdef {r.Id} {r.Student} {r.LocalTime}\n");
        }
        return text.ToString();
    }
}
