using Microsoft.Data.Sqlite;
using PassTrack.Contracts.Passes;
using PassTrack.Contracts.Protocol;
using PassTrack.Rules.Demo;
using PassTrack.Rules.Emergencies;
using PassTrack.Rules.Students;
using static PassTrack.Edge.Tests.Kiosks.KioskTestSupport;

namespace PassTrack.Edge.Tests.Kiosks;

/// <summary>Staff cards at a kiosk, over real MQTT against a running edge: lockdown, clear and card enrolment.</summary>
public class StaffCardTests
{
    private const string NurseCard = "05AD0000000003";

    private static string NumberOf(Student student) => student.Credentials.First(c => c.Kind == CredentialKind.StudentNumber).Value;

    [Fact]
    public async Task The_principals_card_opens_staff_actions_and_a_lockdown_from_the_kiosk_reaches_every_kiosk()
    {
        using var edge = await new EdgeHost().StartedAsync();
        await using var kiosk = await KioskInAsync(edge, "A101");
        await using var other = await KioskInAsync(edge, "B106");

        // Readers spell UIDs their own way: the badge is found whatever the separators.
        var tap = await kiosk.ScanAsync(string.Join(':', DemoSchool.PrincipalCard.Chunk(2).Select(c => new string(c))));
        Assert.Equal(Outcome.StaffIdentified, tap.Outcome);
        Assert.Equal(DemoSchool.Principal.Id, tap.StaffId);
        Assert.Null(tap.StudentId);
        Assert.Equal([StaffAction.Lockdown, StaffAction.Clear, StaffAction.EnrolCard], tap.StaffActions);
        Assert.StartsWith("Hello Dr. Okafor", tap.Lines[0], StringComparison.Ordinal);

        var lockdown = await kiosk.StaffAsync(tap.ScanId, StaffAction.Lockdown);
        Assert.Equal(Outcome.Accepted, lockdown.Outcome);
        await other.CommandAsync(CommandType.Lockdown);
        var started = await edge.Writer.ReadAsync(b => b.Emergency?.Kind, TestContext.Current.CancellationToken);
        Assert.Equal(EmergencyKind.Lockdown, started);
        Assert.Equal(DemoSchool.Principal.Id, StartedBy(edge));

        // The same request again (a kiosk retrying) is answered the same and starts nothing new.
        var again = await kiosk.StaffAsync(tap.ScanId, StaffAction.Lockdown, scanId: lockdown.ScanId);
        Assert.Equal(lockdown.Outcome, again.Outcome);
        Assert.Equal(1, CountEvents(edge, "EmergencyStarted"));

        // In a lockdown students are refused, but the badge still opens staff actions: here, to clear it.
        var tapAgain = await kiosk.ScanAsync(DemoSchool.PrincipalCard);
        Assert.Equal(Outcome.StaffIdentified, tapAgain.Outcome);
        Assert.Equal(Outcome.Accepted, (await kiosk.StaffAsync(tapAgain.ScanId, StaffAction.Clear)).Outcome);
        await other.CommandAsync(CommandType.Clear);
    }

    [Fact]
    public async Task A_teacher_enrols_a_new_card_and_the_lost_one_stops_working()
    {
        using var edge = await new EdgeHost().StartedAsync();
        await using var kiosk = await KioskInAsync(edge, "A101");
        var student = PlainStudents(edge)[3];
        var oldCard = Card(student);
        const string newCard = "04:1A:2B:3C:4D:5E:6F";

        var tap = await kiosk.ScanAsync(DemoSchool.TeacherCard(1));
        Assert.Equal(Outcome.StaffIdentified, tap.Outcome);
        var enrolled = await kiosk.StaffAsync(tap.ScanId, StaffAction.EnrolCard, NumberOf(student), newCard);

        Assert.Equal(Outcome.Accepted, enrolled.Outcome);
        Assert.Equal(ReasonCode.CardEnrolled, enrolled.Reason);
        Assert.Equal(["Card enrolled to", student.FullName.Length <= 20 ? student.FullName : enrolled.Lines[1]], enrolled.Lines.Take(2));
        var withNewCard = await kiosk.ScanAsync(newCard);
        Assert.Equal(Outcome.Identified, withNewCard.Outcome);
        Assert.Equal(student.Id.Value, withNewCard.StudentId);
        Assert.Equal(ReasonCode.UnknownCredential, (await kiosk.ScanAsync(oldCard)).Reason);
        Assert.Equal(1, CountEvents(edge, "CardEnrolled"));
    }

    [Fact]
    public async Task Staff_actions_need_a_staff_cards_recent_tap_at_the_same_kiosk_and_the_permission()
    {
        using var edge = await new EdgeHost().StartedAsync();
        await using var kiosk = await KioskInAsync(edge, "A101");
        await using var other = await KioskInAsync(edge, "A102");
        var student = PlainStudents(edge)[0];

        // A student's tap opens nothing.
        var studentTap = await kiosk.ScanAsync(Card(student));
        var refused = await kiosk.StaffAsync(studentTap.ScanId, StaffAction.Lockdown);
        Assert.Equal(ProtocolErrors.NotStaff, refused.Error);

        // Another kiosk cannot act on this kiosk's staff tap.
        var principal = await kiosk.ScanAsync(DemoSchool.PrincipalCard);
        Assert.Equal(ProtocolErrors.NotStaff, (await other.StaffAsync(principal.ScanId, StaffAction.Lockdown)).Error);

        // The tap expires.
        edge.Clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(ProtocolErrors.ScanExpired, (await kiosk.StaffAsync(principal.ScanId, StaffAction.Lockdown)).Error);

        // The nurse may not lock the building down, nor enrol cards.
        var nurse = await kiosk.ScanAsync(NurseCard);
        Assert.Equal(Outcome.StaffIdentified, nurse.Outcome);
        Assert.Empty(nurse.StaffActions!);
        Assert.Equal(ReasonCode.NotPermitted, (await kiosk.StaffAsync(nurse.ScanId, StaffAction.Lockdown)).Reason);
        Assert.Equal(ReasonCode.NotPermitted, (await kiosk.StaffAsync(nurse.ScanId, StaffAction.EnrolCard, NumberOf(student), "0411223344")).Reason);

        Assert.Null(await edge.Writer.ReadAsync(b => b.Emergency?.Kind, TestContext.Current.CancellationToken));
        Assert.Equal(0, CountEvents(edge, "EmergencyStarted") + CountEvents(edge, "CardEnrolled"));
    }

    [Fact]
    public async Task A_malformed_enrolment_is_refused_with_its_reason()
    {
        using var edge = await new EdgeHost().StartedAsync();
        await using var kiosk = await KioskInAsync(edge, "A101");
        var tap = await kiosk.ScanAsync(DemoSchool.PrincipalCard);
        var refusal = RefusalAsync(edge, Edge.Kiosks.RefusalReasons.Malformed, kiosk.Id);

        var reply = await kiosk.StaffAsync(tap.ScanId, StaffAction.EnrolCard, "12345", "not-a-card");

        Assert.Equal(ProtocolErrors.Malformed, reply.Error);
        Assert.Contains("card must be", (await refusal).Detail, StringComparison.Ordinal);
    }

    private static string? StartedBy(EdgeHost edge)
    {
        using var connection = new SqliteConnection($"Data Source={edge.DataPath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT json_extract(Json, '$.actor.id') FROM Events WHERE Type = 'EmergencyStarted'";
        return command.ExecuteScalar() as string;
    }

    private static long CountEvents(EdgeHost edge, string type)
    {
        using var connection = new SqliteConnection($"Data Source={edge.DataPath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM Events WHERE Type = $type";
        command.Parameters.AddWithValue("$type", type);
        return (long)command.ExecuteScalar()!;
    }
}
