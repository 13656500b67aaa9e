using PassTrack.Rules.Summons;

namespace PassTrack.Rules.Tests.Summons;

/// <summary>Steps the summons tests share.</summary>
internal static class SummonsSteps
{
    public static readonly DestinationId CareerCounselor = new("academic-counselor");

    public static readonly SummonsTarget CollegeCounselor = new(DestinationKind.Counselor, Specialty: "college");

    /// <summary>The test school with a second counselor, for careers, listed before the college counselor.</summary>
    public static TestSchool WithTwoCounselors(Func<BuildingConfiguration, BuildingConfiguration>? adjust = null) =>
        new(c =>
        {
            var withCareers = c with
            {
                Destinations =
                [
                    .. c.Destinations,
                    new Destination(CareerCounselor, "Career Counselor", DestinationKind.Counselor, new SectionId("ADMIN"), 2, TimeSpan.FromMinutes(20), ApprovalRequirement.DestinationStaff, CountsTowardLimits: false, Specialty: "career"),
                ],
            };
            return adjust is null ? withCareers : adjust(withCareers);
        });

    public static Decision Summon(this TestSchool school, Actor staff, SummonsTarget target, params StudentId[] students) =>
        school.Handle(new Summon(students, target, SummonsPriority.Routine, school.Now, staff));

    public static BuildingConfiguration ChangeStudent(this BuildingConfiguration c, StudentId id, Func<Student, Student> change) =>
        c with { Students = c.Students.Select(s => s.Id == id ? change(s) : s).ToList() };

}
