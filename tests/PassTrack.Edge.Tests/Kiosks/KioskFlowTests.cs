using Microsoft.Data.Sqlite;
using PassTrack.Contracts.Passes;
using PassTrack.Contracts.Protocol;
using PassTrack.Rules;
using PassTrack.Rules.Passes;
using static PassTrack.Edge.Tests.Kiosks.KioskTestSupport;

namespace PassTrack.Edge.Tests.Kiosks;

/// <summary>A student's day at a kiosk, over real MQTT against a running edge with its SQLite store.</summary>
public class KioskFlowTests
{
    [Fact]
    public async Task A_student_taps_chooses_a_restroom_goes_and_taps_back_in()
    {
        using var edge = await new EdgeHost().StartedAsync();
        await using var kiosk = await KioskInAsync(edge, "A101");
        var student = PlainStudents(edge)[0];

        // Card readers spell UIDs many ways: lower case with separators is the same card.
        var scan = await kiosk.ScanAsync(string.Join(':', Card(student).Chunk(2).Select(c => new string(c).ToLowerInvariant())));
        Assert.Equal(Outcome.Identified, scan.Outcome);
        Assert.Equal(student.Id.Value, scan.StudentId);
        Assert.Equal(student.FirstName, scan.FirstName);
        Assert.InRange(scan.Lines.Count, 1, 4);
        Assert.All(scan.Lines, l => Assert.True(l.Length <= 20));

        var choice = await kiosk.ChooseAsync(scan.ScanId, "restroom-a-north");
        Assert.Equal(Outcome.Granted, choice.Outcome);
        Assert.NotNull(choice.PassId);
        Assert.Equal(8 * 60, choice.TimeLimitSeconds);
        Assert.Equal(edge.Clock.GetUtcNow().AddMinutes(8), choice.Until);

        edge.Clock.Advance(TimeSpan.FromMinutes(3));
        var back = await kiosk.ScanAsync(Card(student), CredentialType.Card);
        Assert.Equal(Outcome.Returned, back.Outcome);
        Assert.Equal(ReasonCode.PassReturned, back.Reason);
        Assert.Equal(choice.PassId, back.PassId);
        Assert.Equal(180, back.WaitSeconds);
    }

    [Fact]
    public async Task A_student_choosing_a_full_restroom_joins_its_line_and_can_leave_it()
    {
        using var edge = await new EdgeHost().StartedAsync();
        await using var kiosk = await KioskInAsync(edge, "A101");
        var students = PlainStudents(edge);
        foreach (var (student, room) in students.Skip(1).Take(2).Zip(new[] { "A102", "A103" }))
        {
            var granted = await edge.Writer.SubmitAsync(new RequestPass(student.Id, new RoomId(room), new DestinationId("restroom-a-north"), PassSource.Kiosk, edge.Clock.GetUtcNow(), Actor.OfStudent(student.Id)), TestContext.Current.CancellationToken);
            Assert.Equal(Outcome.Granted, granted.Decision!.Outcome);
        }

        var scan = await kiosk.ScanAsync(Card(students[0]));
        var choice = await kiosk.ChooseAsync(scan.ScanId, "restroom-a-north");
        Assert.Equal(Outcome.Queued, choice.Outcome);
        Assert.Equal(1, choice.QueuePosition);

        var status = await kiosk.ScanAsync(Card(students[0]));
        Assert.Equal(Outcome.Status, status.Outcome);
        Assert.Equal(ReasonCode.WaitingInQueue, status.Reason);
        var left = await kiosk.ChooseAsync(status.ScanId, null, leaveLine: true);
        Assert.Equal(Outcome.Accepted, left.Outcome);
        Assert.Equal(Outcome.Identified, (await kiosk.ScanAsync(Card(students[0]))).Outcome);
    }

    [Fact]
    public async Task A_return_replayed_after_an_outage_completes_the_pass_when_the_student_really_came_back()
    {
        using var edge = await new EdgeHost().StartedAsync();
        await using var kiosk = await KioskInAsync(edge, "A101");
        var student = PlainStudents(edge)[0];
        var scan = await kiosk.ScanAsync(Card(student));
        var granted = await kiosk.ChooseAsync(scan.ScanId, "water-a");
        Assert.Equal(Outcome.Granted, granted.Outcome);
        var leftAt = edge.Clock.GetUtcNow();

        // The kiosk lost the edge; the student tapped back in 2 minutes later; the queue is replayed 7 minutes on.
        edge.Clock.Advance(TimeSpan.FromMinutes(7));
        var replayed = await kiosk.ScanAsync(Card(student), scannedAt: leftAt.AddMinutes(2), replay: true);

        Assert.Equal(Outcome.Returned, replayed.Outcome);
        Assert.Equal(120, replayed.WaitSeconds);
    }

    [Fact]
    public async Task The_same_scan_id_twice_gets_the_same_reply_and_is_decided_once()
    {
        using var edge = await new EdgeHost().StartedAsync();
        await using var kiosk = await KioskInAsync(edge, "A101");
        var student = PlainStudents(edge)[0];
        var scan = await kiosk.ScanAsync(Card(student), scanId: "scan-1");
        var choice = await kiosk.ChooseAsync("scan-1", "locker", scanId: "choose-1");
        Assert.Equal(Outcome.Granted, choice.Outcome);
        var sequence = edge.Writer.LastSequence;

        // The kiosk did not hear the replies (a dropped connection) and sends both again, the choice even after the
        // window in which a new choice would be accepted.
        edge.Clock.Advance(TimeSpan.FromMinutes(6));
        var scanAgain = await kiosk.ScanAsync(Card(student), scanId: "scan-1");
        var choiceAgain = await kiosk.ChooseAsync("scan-1", "locker", scanId: "choose-1");

        Assert.Equivalent(scan, scanAgain);
        Assert.Equivalent(choice, choiceAgain);
        Assert.True(edge.Writer.LastSequence - sequence <= 1, "nothing but timer events may have been committed");
        await using var db = new SqliteConnection($"Data Source={edge.DataPath}");
        await db.OpenAsync(TestContext.Current.CancellationToken);
        await using var count = db.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM Events WHERE Type = 'PassCreated' AND StudentId = $student";
        count.Parameters.AddWithValue("$student", student.Id.Value);
        Assert.Equal(1L, (long)(await count.ExecuteScalarAsync(TestContext.Current.CancellationToken))!);
    }

    [Fact]
    public async Task A_choice_is_refused_when_its_scan_is_unknown_or_too_old()
    {
        using var edge = await new EdgeHost().StartedAsync();
        await using var kiosk = await KioskInAsync(edge, "A101");
        var student = PlainStudents(edge)[0];

        var unknown = await kiosk.ChooseAsync("never-sent", "locker");
        Assert.Equal(ProtocolErrors.UnknownScan, unknown.Error);

        var scan = await kiosk.ScanAsync(Card(student));
        edge.Clock.Advance(TimeSpan.FromMinutes(6));
        var late = await kiosk.ChooseAsync(scan.ScanId, "locker");
        Assert.Equal(ProtocolErrors.ScanExpired, late.Error);
        Assert.Equal(Outcome.Refused, late.Outcome);
    }

    [Fact]
    public async Task Another_kiosks_scan_cannot_be_chosen_for()
    {
        using var edge = await new EdgeHost().StartedAsync();
        await using var a101 = await KioskInAsync(edge, "A101");
        await using var a102 = await KioskInAsync(edge, "A102");
        var scan = await a101.ScanAsync(Card(PlainStudents(edge)[0]));

        var choice = await a102.ChooseAsync(scan.ScanId, "locker");

        Assert.Equal(ProtocolErrors.UnknownScan, choice.Error);
    }
}
