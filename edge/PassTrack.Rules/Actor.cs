namespace PassTrack.Rules;

public enum ActorKind
{
    Student,
    Staff,
    Kiosk,
    System,
}

/// <summary>What a staff member may do. The dashboard maps roles onto these; the rules check them.</summary>
[Flags]
public enum StaffPermissions
{
    None = 0,
    /// <summary>Approve passes routed to them (their room's, their destination's).</summary>
    ApprovePasses = 1 << 0,
    /// <summary>Approve or deny any pending pass in the building.</summary>
    ApproveAnyPass = 1 << 1,
    EndPasses = 1 << 2,
    CreatePasses = 1 << 3,
    /// <summary>Override rules 3 to 11, except encounter prevention, with a recorded comment.</summary>
    OverrideRules = 1 << 4,
    /// <summary>Override encounter prevention too. Counselors and administrators only.</summary>
    OverrideEncounter = 1 << 5,
    Emergency = 1 << 6,
    Configure = 1 << 7,
    Summon = 1 << 8,
    /// <summary>Register a new card to a student (at a kiosk, with a staff card).</summary>
    EnrolCards = 1 << 9,
    Teacher = ApprovePasses | EndPasses | CreatePasses | OverrideRules | Emergency | EnrolCards,
    Administrator = Teacher | ApproveAnyPass | OverrideEncounter | Configure | Summon,
}

/// <summary>Who or what caused something: recorded on every change.</summary>
public sealed record Actor(ActorKind Kind, string Id, string Name, StaffPermissions Permissions = StaffPermissions.None)
{
    public static readonly Actor System = new(ActorKind.System, "system", "PassTrack");

    public static Actor Staff(string id, string name, StaffPermissions permissions) => new(ActorKind.Staff, id, name, permissions);

    public static Actor OfKiosk(KioskId kiosk) => new(ActorKind.Kiosk, kiosk.Value, kiosk.Value);

    public static Actor OfStudent(StudentId student) => new(ActorKind.Student, student.Value, student.Value);

    public bool Can(StaffPermissions permission) => (Permissions & permission) == permission;
}
