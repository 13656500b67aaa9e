using PassTrack.Rules.Configuration;
using PassTrack.Rules.Students;

namespace PassTrack.Rules.Staff;

/// <summary>
/// A member of staff as the building knows them for the kiosks: their cards (or badge codes) open staff actions at any
/// kiosk, limited to their permissions. Signing in to the dashboard is the district's business; this is the building's
/// own roster, so a staff card keeps working while the district link is down.
/// </summary>
public sealed record StaffMember(StaffId Id, string Name, StaffPermissions Permissions, IReadOnlyList<Credential> Credentials)
{
    /// <summary>A member who has left keeps their record (it names them in the history) but their cards stop working.</summary>
    public bool Active { get; init; } = true;

    public Actor AsActor() => Actor.Staff(Id.Value, Name, Permissions);
}

/// <summary>Adds or changes a staff member whole. Configure permission.</summary>
public sealed record SaveStaffMember(StaffMember Staff, DateTimeOffset At, Actor Actor) : BuildingCommand(At, Actor);

/// <summary>
/// Registers <paramref name="Card"/> to the student who holds <paramref name="Student"/> (their student number, as
/// typed at the kiosk). The new card replaces the student's old cards: a lost card stops working.
/// </summary>
public sealed record EnrolCard(Credential Student, Credential Card, DateTimeOffset At, Actor Actor) : BuildingCommand(At, Actor);

public sealed record StaffMemberSaved(StaffMember Staff, Actor Actor) : ConfigurationChanged(Actor);

/// <summary><paramref name="Replaced"/> are the cards the student held before, which no longer work.</summary>
public sealed record CardEnrolled(StudentId Student, Credential Card, IReadOnlyList<Credential> Replaced, Actor Actor) : ConfigurationChanged(Actor);
