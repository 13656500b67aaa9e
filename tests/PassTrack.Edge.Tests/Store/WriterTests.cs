using Microsoft.Data.Sqlite;
using PassTrack.Contracts.Passes;
using PassTrack.Rules;
using PassTrack.Rules.Passes;

namespace PassTrack.Edge.Tests.Store;

public class WriterTests
{
    [Fact]
    public async Task A_decision_is_committed_to_sqlite_before_it_is_returned_and_survives_a_restart()
    {
        using var edge = await new EdgeHost().StartedAsync();
        var student = edge.Writer.StartingConfiguration.Students.First(s => s.Profile.Accommodations.Plan is null && s.Profile.RestrictedDestinations.Count == 0 && s.Profile.DesignatedRestrooms.Count == 0);

        var committed = await edge.Writer.SubmitAsync(new RequestPass(student.Id, student.Homeroom!.Value, new DestinationId("locker"), PassSource.Kiosk, edge.Clock.GetUtcNow(), Actor.OfStudent(student.Id)), TestContext.Current.CancellationToken);

        Assert.Equal(Outcome.Granted, committed.Decision!.Outcome);
        await using var db = new SqliteConnection($"Data Source={edge.DataPath}");
        await db.OpenAsync(TestContext.Current.CancellationToken);
        await using var count = db.CreateCommand();
        count.CommandText = "SELECT COUNT(*), MAX(Sequence) FROM Events";
        await using var row = await count.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        Assert.True(await row.ReadAsync(TestContext.Current.CancellationToken));
        Assert.Equal(committed.Sequence, row.GetInt64(1));
        Assert.True(row.GetInt64(0) >= 2);
    }

    [Fact]
    public async Task The_same_scan_twice_is_decided_once_and_answers_with_the_first_reply()
    {
        using var edge = await new EdgeHost().StartedAsync();
        var student = edge.Writer.StartingConfiguration.Students[0];
        var kiosk = new KioskId($"kiosk-{student.Homeroom!.Value.Value.ToLowerInvariant()}");
        var tap = new Tap(kiosk, student.Credentials[0], edge.Clock.GetUtcNow(), Actor.OfKiosk(kiosk));
        var key = new Passes.ScanKey(kiosk.Value, "scan-1");
        var renders = 0;

        var first = await edge.Writer.SubmitScanAsync(key, tap, d => { renders++; return System.Text.Encoding.UTF8.GetBytes(d.Outcome.ToString()); }, TestContext.Current.CancellationToken);
        var again = await edge.Writer.SubmitScanAsync(key, tap, d => { renders++; return [0]; }, TestContext.Current.CancellationToken);

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Null(again.Decision);
        Assert.Equal(first.Reply, again.Reply);
        Assert.Equal(first.Sequence, again.Sequence);
        Assert.Equal(1, renders);
        Assert.Equal(first.Sequence, edge.Writer.LastSequence);
    }
}
