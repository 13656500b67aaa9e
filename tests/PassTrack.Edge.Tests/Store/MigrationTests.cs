using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using PassTrack.Edge.Store;
using PassTrack.Rules;
using PassTrack.Rules.Passes;

namespace PassTrack.Edge.Tests.Store;

public class MigrationTests
{
    [Fact]
    public async Task Scans_stored_under_the_keyed_table_survive_the_move_to_the_time_ordered_log_and_are_still_recognised()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Directory.CreateTempSubdirectory("passtrack-migrate-").FullName;
        var path = Path.Combine(folder, "edge.db");
        try
        {
            var now = new DateTimeOffset(2026, 12, 1, 15, 0, 0, TimeSpan.Zero);
            // A store as the release before the change left it: scans keyed by kiosk and scan id.
            await using (var db = new EdgeDb(new DbContextOptionsBuilder<EdgeDb>().UseSqlite($"Data Source={path}").Options))
            {
                await db.GetService<IMigrator>().MigrateAsync("LeanerEventIndexes", ct);
            }
            await using (var connection = new SqliteConnection($"Data Source={path}"))
            {
                await connection.OpenAsync(ct);
                await using var insert = connection.CreateCommand();
                insert.CommandText = """
                    INSERT INTO Scans (KioskId, ScanId, Reply, Sequence, ReceivedAtUnixMs) VALUES
                        ('kiosk-a101', 'late', x'03', 0, $late),
                        ('kiosk-a101', 'early', x'01', 0, $early),
                        ('kiosk-b202', 'middle', x'02', 0, $middle);
                    """;
                insert.Parameters.AddWithValue("$early", now.AddMinutes(-30).ToUnixTimeMilliseconds());
                insert.Parameters.AddWithValue("$middle", now.AddMinutes(-20).ToUnixTimeMilliseconds());
                insert.Parameters.AddWithValue("$late", now.AddMinutes(-10).ToUnixTimeMilliseconds());
                await insert.ExecuteNonQueryAsync(ct);
            }

            using (var edge = await new EdgeHost(now: now, configure: s => s["Edge:DataPath"] = path).StartedAsync())
            {
                var rows = await ScansAsync(edge.DataPath, ct);
                Assert.Equal(["early", "middle", "late"], rows.Select(r => r.ScanId));
                Assert.True(rows[0].Id < rows[1].Id && rows[1].Id < rows[2].Id);

                // The ledger was rebuilt from the migrated log: the old scan is a duplicate, answered as stored.
                var student = edge.Writer.StartingConfiguration.Students[0];
                var kiosk = new KioskId("kiosk-a101");
                var replay = await edge.Writer.SubmitScanAsync(new Passes.ScanKey(kiosk.Value, "early"),
                    new Tap(kiosk, student.Credentials[0], now, Actor.OfKiosk(kiosk)), d => [9], now.AddMinutes(-30), ct);
                Assert.True(replay.Duplicate);
                Assert.Equal([1], replay.Reply);
                Assert.Equal(0, edge.Writer.LastSequence);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<List<(long Id, string ScanId)>> ScansAsync(string path, CancellationToken ct)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync(ct);
        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT Id, ScanId FROM Scans ORDER BY ReceivedAtUnixMs";
        await using var rows = await read.ExecuteReaderAsync(ct);
        var list = new List<(long, string)>();
        while (await rows.ReadAsync(ct))
        {
            list.Add((rows.GetInt64(0), rows.GetString(1)));
        }
        return list;
    }
}
