using PassTrack.Contracts;
using PassTrack.Contracts.Passes;
using PassTrack.Contracts.Protocol;

namespace PassTrack.Kiosk.Flow;

/// <summary>
/// What this kiosk learned from the edge's answers, so that offline it can still say the right thing: which
/// credentials belong to a student who left on a pass from here (a tap is then a return), and each one's language.
/// Kept in memory for the day: the edge stays the authority, and the queued tap is what it will apply.
/// </summary>
public sealed class OfflineMemory(TimeProvider time)
{
    private static readonly TimeSpan Forget = TimeSpan.FromHours(12);
    private readonly Dictionary<string, Student> _byCredential = new(StringComparer.OrdinalIgnoreCase);

    private readonly HashSet<string> _staff = new(StringComparer.OrdinalIgnoreCase);

    public void Learn(string credential, DecisionReply reply)
    {
        if (reply.Outcome == Outcome.StaffIdentified && !string.IsNullOrEmpty(credential) && _staff.Count < 1_000)
        {
            _staff.Add(credential);
            return;
        }
        if (string.IsNullOrEmpty(credential) || reply.StudentId is null)
        {
            return;
        }
        var now = time.GetUtcNow();
        _byCredential.TryGetValue(credential, out var known);
        var outSince = reply.Outcome switch
        {
            Outcome.Granted => now,
            Outcome.Returned => (DateTimeOffset?)null,
            _ => known?.OutSince,
        };
        _byCredential[credential] = new Student(reply.Language, outSince, now);
        if (_byCredential.Count > 5_000)
        {
            var stale = now - Forget;
            foreach (var key in _byCredential.Where(p => p.Value.LastSeen < stale).Select(p => p.Key).ToList())
            {
                _byCredential.Remove(key);
            }
        }
    }

    public bool IsOut(string credential) =>
        _byCredential.TryGetValue(credential, out var student) && student.OutSince is { } since && time.GetUtcNow() - since < Forget;

    public void Returned(string credential)
    {
        if (_byCredential.TryGetValue(credential, out var student))
        {
            _byCredential[credential] = student with { OutSince = null };
        }
    }

    /// <summary>Whether this card was a staff badge when the edge last said so.</summary>
    public bool IsStaff(string credential) => _staff.Contains(credential);

    public Language? LanguageOf(string credential) => _byCredential.TryGetValue(credential, out var student) ? student.Language : null;

    private sealed record Student(Language Language, DateTimeOffset? OutSince, DateTimeOffset LastSeen);
}
