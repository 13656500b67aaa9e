using System.Diagnostics;
using PassTrack.Contracts.Passes;
using PassTrack.Contracts.Protocol;

namespace PassTrack.LoadTool.Traffic;

/// <summary>
/// What the students do next. Each student walks through a pass the way people do at a kiosk: tap at their room's
/// kiosk, choose a destination on the menu, tap at the destination's kiosk if it has one, and tap back in at their
/// room; a student in line or waiting for approval taps again later to check or claim. The edge's replies decide
/// which step follows. Thread-safe: replies arrive on many threads.
/// </summary>
public sealed class TrafficModel
{
    private const int MaxChecks = 4;
    private readonly Lock _lock = new();
    private readonly School _school;
    private readonly Timing _timing;
    private readonly Random _random;
    private readonly IReadOnlyList<string> _kioskRooms;
    private readonly Dictionary<string, int[]> _kiosksByRoom;
    private readonly int[] _askKiosks;
    private readonly Dictionary<string, List<SimStudent>> _idleByRoom;
    private readonly PriorityQueue<Visit, long>? _due;
    private readonly PriorityQueue<Visit, long>[]? _dueByKiosk;
    private int _out;
    private int _waiting;
    private int _scheduled;

    /// <param name="kioskRooms">The room of each kiosk, by kiosk index.</param>
    /// <param name="perKiosk">Keep each kiosk's next steps apart, for closed-loop sending where each kiosk asks for its own (no arrival taps then).</param>
    public TrafficModel(School school, IReadOnlyList<string> kioskRooms, Timing timing, int seed, bool perKiosk)
    {
        _school = school;
        _timing = timing;
        _random = new Random(seed);
        _kioskRooms = kioskRooms;
        _kiosksByRoom = kioskRooms.Select((room, i) => (room, i)).GroupBy(x => x.room, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.i).ToArray(), StringComparer.Ordinal);
        _idleByRoom = school.Students.Where(s => _kiosksByRoom.ContainsKey(s.Homeroom)).GroupBy(s => s.Homeroom, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        _askKiosks = [.. kioskRooms.Select((room, i) => (room, i)).Where(x => _idleByRoom.ContainsKey(x.room)).Select(x => x.i)];
        if (perKiosk)
        {
            _dueByKiosk = [.. kioskRooms.Select(_ => new PriorityQueue<Visit, long>())];
        }
        else
        {
            _due = new PriorityQueue<Visit, long>();
        }
        Students = _idleByRoom.Values.Sum(l => l.Count);
    }

    /// <summary>How many students can use the kiosks (those whose homeroom has one).</summary>
    public int Students { get; }

    public (int Out, int Waiting, int Scheduled, int Idle) Snapshot()
    {
        lock (_lock)
        {
            return (_out, _waiting, _scheduled, _idleByRoom.Values.Sum(l => l.Count));
        }
    }

    /// <summary>Open loop: the next step that is due, else a new student asking at a random kiosk; null if no one is free.</summary>
    public Visit? Next(long now)
    {
        lock (_lock)
        {
            if (_due!.TryPeek(out var visit, out var at) && at <= now)
            {
                _due.Dequeue();
                _scheduled--;
                return visit;
            }
            for (var attempt = 0; attempt < 8 && _askKiosks.Length > 0; attempt++)
            {
                if (NewAsk(_askKiosks[_random.Next(_askKiosks.Length)]) is { } ask)
                {
                    return ask;
                }
            }
            return null;
        }
    }

    /// <summary>Closed loop: the next step due at this kiosk, else a new student from its room; null if none.</summary>
    public Visit? NextAt(int kiosk, long now)
    {
        lock (_lock)
        {
            var due = _dueByKiosk![kiosk];
            if (due.TryPeek(out var visit, out var at) && at <= now)
            {
                due.Dequeue();
                _scheduled--;
                return visit;
            }
            if (NewAsk(kiosk) is { } ask)
            {
                return ask;
            }
            // No one is free in this room: rather than idle, the kiosk's next step happens early, so that the server,
            // not the supply of students, limits a closed-loop run.
            if (due.Count > 0)
            {
                _scheduled--;
                return due.Dequeue();
            }
            return null;
        }
    }

    /// <summary>The edge answered <paramref name="visit"/> (sent as scan <paramref name="scanId"/>): what the student does next.</summary>
    public void OnReply(Visit visit, string scanId, DecisionReply? reply, long now)
    {
        lock (_lock)
        {
            if (visit.Purpose == Purpose.Return || visit.Purpose == Purpose.Arrive)
            {
                _out--;
            }
            else if (visit.Purpose == Purpose.Check)
            {
                _waiting--;
            }
            switch (reply?.Outcome)
            {
                case Outcome.Identified when visit.Purpose is Purpose.Ask or Purpose.Check:
                    var destination = _school.PickDestination(visit.Student, _random);
                    Schedule(visit with { Purpose = Purpose.Choose, ForScan = scanId, Destination = destination, JoinLine = _random.NextDouble() < _timing.JoinLine, LeaveLine = false, Checks = 0 }, _timing.Think, now);
                    break;
                case Outcome.Granted:
                    GoOut(visit, now);
                    break;
                case Outcome.Queued or Outcome.PendingApproval or Outcome.Status when !visit.LeaveLine:
                    if (visit.Checks >= MaxChecks || (reply.QueuePosition > 5 && _random.NextDouble() < 0.5))
                    {
                        // Tired of waiting, or the line is long: leave it, at the kiosk that just showed it.
                        Schedule(visit with { Purpose = Purpose.Choose, ForScan = scanId, LeaveLine = true }, _timing.Think, now);
                    }
                    else
                    {
                        _waiting++;
                        Schedule(visit with { Purpose = Purpose.Check, Kiosk = HomeKiosk(visit.Student), Checks = visit.Checks + 1 }, _timing.Check, now);
                    }
                    break;
                case Outcome.Arrived when visit.Purpose == Purpose.Arrive:
                    _out++;
                    Schedule(visit with { Purpose = Purpose.Return, Kiosk = HomeKiosk(visit.Student) }, new Span(visit.AwaySeconds, visit.AwaySeconds), now);
                    break;
                default:
                    // Returned, refused, or nothing more to do: the student is back at their desk.
                    Idle(visit.Student);
                    break;
            }
        }
    }

    /// <summary>The request got no answer (or could not be sent): the student gives up and sits down.</summary>
    public void OnFailed(Visit visit)
    {
        lock (_lock)
        {
            if (visit.Purpose is Purpose.Return or Purpose.Arrive)
            {
                _out--;
            }
            else if (visit.Purpose == Purpose.Check)
            {
                _waiting--;
            }
            Idle(visit.Student);
        }
    }

    private void GoOut(Visit visit, long now)
    {
        _out++;
        var away = _timing.Away.Draw(_random);
        // In a closed-loop run the few kiosks at the nurse, office and library would queue every arrival behind one
        // another and starve the classrooms, so there students go straight back.
        if (_due is not null && visit.Destination?.ArrivalRoom is { } room && _kiosksByRoom.TryGetValue(room, out var there))
        {
            var travel = away * 0.3;
            Schedule(visit with { Purpose = Purpose.Arrive, Kiosk = there[_random.Next(there.Length)], AwaySeconds = away - travel }, new Span(travel, travel), now);
        }
        else
        {
            Schedule(visit with { Purpose = Purpose.Return, Kiosk = HomeKiosk(visit.Student) }, new Span(away, away), now);
        }
    }

    private Visit? NewAsk(int kiosk)
    {
        if (!_idleByRoom.TryGetValue(_kioskRooms[kiosk], out var idle) || idle.Count == 0)
        {
            return null;
        }
        var i = _random.Next(idle.Count);
        var student = idle[i];
        idle[i] = idle[^1];
        idle.RemoveAt(idle.Count - 1);
        return new Visit(student, Purpose.Ask, kiosk);
    }

    private void Idle(SimStudent student) => _idleByRoom[student.Homeroom].Add(student);

    private int HomeKiosk(SimStudent student)
    {
        var kiosks = _kiosksByRoom[student.Homeroom];
        return kiosks[_random.Next(kiosks.Length)];
    }

    private void Schedule(Visit visit, Span delay, long now)
    {
        var at = now + (long)(delay.Draw(_random) * Stopwatch.Frequency);
        (_dueByKiosk?[visit.Kiosk] ?? _due!).Enqueue(visit, at);
        _scheduled++;
    }
}
