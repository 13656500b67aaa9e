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

        var first = await edge.Writer.SubmitScanAsync(key, tap, d => { renders++; return System.Text.Encoding.UTF8.GetBytes(d.Outcome.ToString()); }, edge.Clock.GetUtcNow(), TestContext.Current.CancellationToken);
        var again = await edge.Writer.SubmitScanAsync(key, tap, d => { renders++; return [0]; }, edge.Clock.GetUtcNow(), TestContext.Current.CancellationToken);

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Null(again.Decision);
        Assert.Equal(first.Reply, again.Reply);
        Assert.Equal(first.Sequence, again.Sequence);
        Assert.Equal(1, renders);
        Assert.Equal(first.Sequence, edge.Writer.LastSequence);
    }
}

public class ScanLedgerTests
{
    [Fact]
    public async Task A_scan_made_before_the_ledger_window_is_still_recognised_by_the_store_after_a_restart()
    {
        var folder = Directory.CreateTempSubdirectory("passtrack-ledger-").FullName;
        var path = Path.Combine(folder, "edge.db");
        var ct = TestContext.Current.CancellationToken;
        try
        {
            Passes.Committed first;
            var madeAt = new DateTimeOffset(2026, 12, 1, 15, 5, 0, TimeSpan.Zero);
            var key = new Passes.ScanKey("kiosk-a101", "old-scan");
            using (var edge = await new EdgeHost(configure: s => s["Edge:DataPath"] = path).StartedAsync())
            {
                var student = edge.Writer.StartingConfiguration.Students[0];
                var tap = new Tap(new KioskId("kiosk-a101"), student.Credentials[0], madeAt, Actor.OfKiosk(new KioskId("kiosk-a101")));
                first = await edge.Writer.SubmitScanAsync(key, tap, d => [1, 2, 3], madeAt, ct);
            }
            // Two days later the ledger no longer holds it; the scan arrives again from a kiosk's queue.
            using (var edge = await new EdgeHost(now: madeAt.AddDays(2), configure: s => s["Edge:DataPath"] = path).StartedAsync())
            {
                Assert.Equal(0, edge.Writer.Scans.Count);
                Assert.True(edge.Writer.Scans.MustAskStore(key, madeAt));
                var student = edge.Writer.StartingConfiguration.Students[0];
                var tap = new Tap(new KioskId("kiosk-a101"), student.Credentials[0], madeAt.AddDays(2), Actor.OfKiosk(new KioskId("kiosk-a101"))) { ScannedAt = madeAt };
                var again = await edge.Writer.SubmitScanAsync(key, tap, d => [9], madeAt, ct);
                Assert.True(again.Duplicate);
                Assert.Equal(first.Reply, again.Reply);
                Assert.Equal(first.Sequence, edge.Writer.LastSequence);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_new_scan_within_the_window_is_decided_without_asking_the_store_and_remembered_after_commit()
    {
        using var edge = await new EdgeHost().StartedAsync();
        var ct = TestContext.Current.CancellationToken;
        var student = edge.Writer.StartingConfiguration.Students[0];
        var kiosk = new KioskId($"kiosk-{student.Homeroom!.Value.Value.ToLowerInvariant()}");
        var key = new Passes.ScanKey(kiosk.Value, "fresh-scan");
        var now = edge.Clock.GetUtcNow();

        Assert.False(edge.Writer.Scans.MustAskStore(key, now));
        await edge.Writer.SubmitScanAsync(key, new Tap(kiosk, student.Credentials[0], now, Actor.OfKiosk(kiosk)), d => [1], now, ct);

        Assert.True(edge.Writer.Scans.MustAskStore(key, now));
        var recent = edge.Writer.Scans.Recent(key);
        Assert.NotNull(recent);
        Assert.Equal(student.Id.Value, recent.StudentId);
    }
}
