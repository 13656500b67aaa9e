using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using PassTrack.Contracts;
using PassTrack.Edge.Api;
using PassTrack.Edge.Configuration;
using PassTrack.Edge.Passes;
using PassTrack.Edge.Security;
using PassTrack.Rules;
using PassTrack.Rules.Configuration;
using PassTrack.Rules.Students;

namespace PassTrack.Edge.Students;

public sealed record CredentialDto(CredentialKind Kind, string Value);

public sealed record AccommodationsDto(
    string? Plan = null,
    bool ExemptFromDailyLimits = false,
    bool ExemptFromCapacity = false,
    bool ExemptFromPeriodBuffers = false,
    IReadOnlyDictionary<DestinationKind, TimeSpan>? ExtraTime = null);

/// <summary>The rules particular to one student: designated restrooms, a 504/IEP plan, restrictions, an own daily limit, a counselor.</summary>
public sealed record ProfileDto(
    IReadOnlyList<string> DesignatedRestrooms,
    AccommodationsDto Accommodations,
    IReadOnlyList<string> RestrictedDestinations,
    int? DailyLimit = null,
    string? CounselorId = null)
{
    public static ProfileDto Of(StudentProfile p) => new(
        p.DesignatedRestrooms.Select(d => d.Value).ToList(),
        new AccommodationsDto(p.Accommodations.Plan, p.Accommodations.ExemptFromDailyLimits, p.Accommodations.ExemptFromCapacity,
            p.Accommodations.ExemptFromPeriodBuffers, p.Accommodations.ExtraTime),
        p.RestrictedDestinations.Select(d => d.Value).ToList(),
        p.DailyLimit,
        p.Counselor?.Value);

    public StudentProfile ToProfile() => new()
    {
        DesignatedRestrooms = DesignatedRestrooms.Distinct().Select(d => new DestinationId(d)).ToList(),
        Accommodations = new Accommodations
        {
            Plan = string.IsNullOrWhiteSpace(Accommodations.Plan) ? null : Accommodations.Plan.Trim(),
            ExemptFromDailyLimits = Accommodations.ExemptFromDailyLimits,
            ExemptFromCapacity = Accommodations.ExemptFromCapacity,
            ExemptFromPeriodBuffers = Accommodations.ExemptFromPeriodBuffers,
            ExtraTime = Accommodations.ExtraTime?.ToDictionary() ?? new Dictionary<DestinationKind, TimeSpan>(),
        },
        RestrictedDestinations = RestrictedDestinations.Distinct().Select(d => new DestinationId(d)).ToList(),
        DailyLimit = DailyLimit,
        Counselor = CounselorId is null ? null : new DestinationId(CounselorId),
    };

    /// <summary>Every destination named must exist; extra time stays within a school period.</summary>
    public Checks Check(Checks checks, string field, IReadOnlySet<string> destinations)
    {
        var named = DesignatedRestrooms.Concat(RestrictedDestinations).Append(CounselorId).OfType<string>().ToList();
        var unknown = named.Where(d => !destinations.Contains(d)).Distinct().Take(5).ToList();
        return checks
            .Ids($"{field}designatedRestrooms", DesignatedRestrooms, max: 20)
            .Ids($"{field}restrictedDestinations", RestrictedDestinations, max: 100)
            .Id($"{field}counselorId", CounselorId, required: false)
            .That(unknown.Count == 0, $"{field}destinations", $"names destinations this building does not have: {string.Join(", ", unknown)}.")
            .That(DailyLimit is null or (>= 0 and <= 100), $"{field}dailyLimit", "must be between 0 and 100, or absent.")
            .Text($"{field}accommodations.plan", Accommodations.Plan, max: 200)
            .That(Accommodations.ExtraTime?.Values.All(t => t >= TimeSpan.Zero && t <= TimeSpan.FromHours(2)) ?? true,
                $"{field}accommodations.extraTime", "must be between 0 and 2 hours.");
    }
}

/// <summary>
/// A student. Credentials (card UIDs, barcodes, numbers) are shown only to keys with the "config" scope; on a save,
/// absent credentials or timetable keep the student's current ones.
/// </summary>
public sealed record StudentDto(
    string Id,
    string FirstName,
    string LastName,
    int Grade,
    Language Language,
    ProfileDto Profile,
    string? HomeroomId = null,
    bool Enrolled = true,
    IReadOnlyList<CredentialDto>? Credentials = null,
    IReadOnlyDictionary<string, string>? Timetable = null)
{
    public static StudentDto Of(Student s, bool withCredentials) => new(
        s.Id.Value, s.FirstName, s.LastName, s.Grade, s.Language, ProfileDto.Of(s.Profile), s.Homeroom?.Value, s.Enrolled,
        withCredentials ? s.Credentials.Select(c => new CredentialDto(c.Kind, c.Value)).ToList() : null,
        s.Timetable.ToDictionary(t => t.Key, t => t.Value.Value, StringComparer.Ordinal));

    public Student ToStudent(Student? current) => new(new StudentId(Id), FirstName.Trim(), LastName.Trim(), Grade, Language,
        HomeroomId is null ? null : new RoomId(HomeroomId),
        Credentials?.Select(c => new Credential(c.Kind, c.Value.Trim())).Distinct().ToList() ?? current?.Credentials ?? [])
    {
        Profile = Profile.ToProfile(),
        Enrolled = Enrolled,
        Timetable = Timetable?.ToDictionary(t => t.Key, t => new RoomId(t.Value), StringComparer.Ordinal) ?? current?.Timetable ?? new Dictionary<string, RoomId>(),
    };
}

public static class StudentsApi
{
    public static RouteGroupBuilder MapStudents(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/students").WithTags("Students");

        group.MapGet("/", async Task<Results<Ok<Page<StudentDto>>, ValidationProblem>> (
            string? search, int? grade, string? homeroom, BuildingWriter writer, Caller caller, CancellationToken ct, int page = 1, int pageSize = Page.DefaultSize) =>
        {
            var invalid = new Checks().Text("search", search, max: 100).Id("homeroom", homeroom, required: false).Paging(page, pageSize).Problem;
            if (invalid is not null)
            {
                return invalid;
            }
            // Students are immutable records: take the list on the writer's loop, search it off the loop.
            var students = await writer.ReadAsync(b => b.Students.ToList(), ct);
            var matches = students
                .Where(s => (grade is null || s.Grade == grade) && (homeroom is null || s.Homeroom?.Value == homeroom) && Matches(s, search?.Trim()))
                .OrderBy(s => s.LastName, StringComparer.Create(CultureInfo.InvariantCulture, ignoreCase: true))
                .ThenBy(s => s.FirstName, StringComparer.Create(CultureInfo.InvariantCulture, ignoreCase: true))
                .ThenBy(s => s.Id.Value, StringComparer.Ordinal)
                .Select(s => StudentDto.Of(s, caller.Has(Scopes.Configure)));
            return TypedResults.Ok(Page.Of(matches, page, pageSize));
        }).RequireScope(Scopes.PassesRead, Scopes.Configure).Audited("students.search")
            .WithSummary("Students by name or id (accents and case ignored), grade or homeroom, paged");

        group.MapGet("/{id}", async Task<Results<Ok<StudentDto>, ValidationProblem, ProblemHttpResult>> (
            string id, BuildingWriter writer, Caller caller, CancellationToken ct) =>
        {
            if (!Checks.IsId(id))
            {
                return Problems.Invalid("id", "is not a student id.");
            }
            var student = await writer.ReadAsync(b => b.FindStudent(new StudentId(id)), ct);
            return student is null ? Problems.NotFound("student", id) : TypedResults.Ok(StudentDto.Of(student, caller.Has(Scopes.Configure)));
        }).RequireScope(Scopes.PassesRead, Scopes.Configure).Audited("students.read");

        group.MapPut("/{id}", async (string id, StudentDto body, BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
        {
            var (current, destinations, rooms) = await writer.ReadAsync(b => (
                b.FindStudent(new StudentId(id)),
                b.Destinations.Select(d => d.Id.Value).ToHashSet(StringComparer.Ordinal),
                b.Rooms.Select(r => r.Id.Value).ToHashSet(StringComparer.Ordinal)), ct);
            var checks = new Checks()
                .That(body.Id == id, "id", "must match the id in the address.").Id("id", id)
                .Text("firstName", body.FirstName, required: true, max: 100)
                .Text("lastName", body.LastName, required: true, max: 100)
                .That(body.Grade is >= -1 and <= 14, "grade", "must be a school grade (-1 for pre-K to 14).")
                .That(body.HomeroomId is null || rooms.Contains(body.HomeroomId), "homeroomId", "is not a room of this building.")
                .That(body.Credentials is null || body.Credentials.Count <= 10, "credentials", "may list at most 10.")
                .That(body.Credentials?.All(c => c.Value.Trim().Length is >= 1 and <= 64) ?? true, "credentials", "every value must be 1 to 64 characters.")
                .That(body.Timetable is null || (body.Timetable.Count <= 20 && body.Timetable.Values.All(rooms.Contains)), "timetable", "names at most 20 periods, each in a room of this building.");
            body.Profile.Check(checks, "profile.", destinations);
            return await ConfigurationChange.SaveAsync(writer, body, checks, () => new SaveStudent(body.ToStudent(current), time.GetUtcNow(), caller.Actor),
                "One of the credentials already belongs to another student or a member of staff.", ct);
        }).RequireScope(Scopes.Configure).Audited("students.save")
            .WithSummary("Add or replace a student; enrolled false withdraws them (waiting passes are cancelled)");

        group.MapPut("/{id}/profile", async Task<Results<Ok<ProfileDto>, ValidationProblem, ProblemHttpResult>> (
            string id, ProfileDto body, BuildingWriter writer, TimeProvider time, Caller caller, CancellationToken ct) =>
        {
            if (!Checks.IsId(id))
            {
                return Problems.Invalid("id", "is not a student id.");
            }
            var (current, destinations) = await writer.ReadAsync(b => (
                b.FindStudent(new StudentId(id)),
                b.Destinations.Select(d => d.Id.Value).ToHashSet(StringComparer.Ordinal)), ct);
            if (current is null)
            {
                return Problems.NotFound("student", id);
            }
            var changed = current with { Profile = body.ToProfile() };
            return await ConfigurationChange.SaveAsync(writer, body, body.Check(new Checks(), "", destinations),
                () => new SaveStudent(changed, time.GetUtcNow(), caller.Actor), null, ct);
        }).RequireScope(Scopes.Configure).Audited("students.profile.save");

        group.ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    private static readonly CompareInfo Compare = CultureInfo.InvariantCulture.CompareInfo;

    private static bool Matches(Student s, string? search) =>
        string.IsNullOrEmpty(search)
        || s.Id.Value.StartsWith(search, StringComparison.OrdinalIgnoreCase)
        || Compare.IndexOf(s.FullName, search, CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace) >= 0
        || Compare.IndexOf($"{s.LastName}, {s.FirstName}", search, CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace) >= 0;
}
