namespace PassTrack.Contracts.District;

/// <summary>
/// The dashboard's roles, by name: a command carries its user's role, and the edge maps it to what the role may do
/// in the building. Defined once here so both sides spell them the same.
/// </summary>
public static class DistrictRoles
{
    public const string Superadmin = "Superadmin";
    public const string Admin = "Admin";
    public const string Teacher = "Teacher";
    public const string Staff = "Staff";
    public const string Counselor = "Counselor";
    public const string Nurse = "Nurse";
    public const string Substitute = "Substitute";

    public static readonly IReadOnlyList<string> All = [Superadmin, Admin, Teacher, Staff, Counselor, Nurse, Substitute];
}
