using PassTrack.Contracts.Passes;
using PassTrack.Rules.Decisions;
using PassTrack.Rules.Staff;
using PassTrack.Rules.Students;

namespace PassTrack.Rules;

// The staff roster for kiosks: whose card opens staff actions, and the card enrolment they can do there.
public sealed partial class Building
{
    private readonly Dictionary<StaffId, StaffMember> _staff = [];
    private readonly Dictionary<Credential, StaffId> _staffCredentials = [];

    public IReadOnlyCollection<StaffMember> Staff => _staff.Values;

    public StaffMember? FindStaff(StaffId id) => _staff.GetValueOrDefault(id);

    /// <summary>The active staff member holding this card or badge code, if any.</summary>
    public StaffMember? FindStaff(Credential credential) =>
        _staffCredentials.TryGetValue(credential, out var id) && _staff[id] is { Active: true } member ? member : null;

    private void PutStaff(StaffMember member)
    {
        if (_staff.TryGetValue(member.Id, out var old))
        {
            foreach (var c in old.Credentials)
            {
                _staffCredentials.Remove(c);
            }
        }
        _staff[member.Id] = member;
        foreach (var c in member.Credentials)
        {
            _staffCredentials[c] = member.Id;
        }
    }

    private Decision SaveStaffChecked(SaveStaffMember c)
    {
        var member = c.Staff;
        if (string.IsNullOrWhiteSpace(member.Id.Value) || string.IsNullOrWhiteSpace(member.Name))
        {
            return Reject(ReasonCode.InvalidConfiguration);
        }
        foreach (var credential in member.Credentials)
        {
            // A typed number must never open staff actions: anyone can type one.
            if (credential.Kind == CredentialKind.StudentNumber)
            {
                return Reject(ReasonCode.InvalidConfiguration);
            }
            if (_credentials.ContainsKey(credential) || (_staffCredentials.TryGetValue(credential, out var holder) && holder != member.Id))
            {
                return Reject(ReasonCode.CredentialInUse);
            }
        }
        Emit(new StaffMemberSaved(member, c.Actor), c.At);
        return Accepted();
    }

    /// <summary>A staff card at a kiosk: who it is and what they may do; nothing changes until they act.</summary>
    private static Decision StaffIdentified(StaffMember member) => new(Outcome.StaffIdentified, ReasonCode.Ok)
    {
        Staff = member.Id,
        StaffPermissions = member.Permissions,
        Names = MessageNames.Empty with { Staff = member.Name },
    };

    private Decision HandleEnrolCard(EnrolCard c)
    {
        if (c.Actor.Kind != ActorKind.Staff || !c.Actor.Can(StaffPermissions.EnrolCards))
        {
            return Reject(ReasonCode.NotPermitted);
        }
        if (c.Card.Kind != CredentialKind.Card || string.IsNullOrWhiteSpace(c.Card.Value))
        {
            return Reject(ReasonCode.InvalidConfiguration);
        }
        if (!_credentials.TryGetValue(c.Student, out var studentId) || _students[studentId] is not { Enrolled: true } student)
        {
            return Reject(ReasonCode.UnknownCredential);
        }
        var names = new MessageNames(student.FirstName, student.FullName, "", "", "") { Staff = c.Actor.Name };
        if (_staffCredentials.ContainsKey(c.Card) || (_credentials.TryGetValue(c.Card, out var owner) && owner != student.Id))
        {
            return new Decision(Outcome.Refused, ReasonCode.CredentialInUse) { Student = student.Id, Names = names };
        }
        var replaced = student.Credentials.Where(k => k.Kind == CredentialKind.Card && k != c.Card).ToList();
        if (replaced.Count > 0 || !student.Credentials.Contains(c.Card))
        {
            Emit(new CardEnrolled(student.Id, c.Card, replaced, c.Actor), c.At);
        }
        // Told in the staff member's words, not the student's language: staff are the ones at the kiosk.
        return new Decision(Outcome.Accepted, ReasonCode.CardEnrolled) { Student = student.Id, Names = names };
    }

    private static Student WithCard(Student student, Credential card) =>
        student with { Credentials = [.. student.Credentials.Where(k => k.Kind != CredentialKind.Card), card] };
}
