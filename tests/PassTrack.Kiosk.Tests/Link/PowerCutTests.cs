using System.Globalization;
using Microsoft.Data.Sqlite;
using PassTrack.Edge.Tests;
using PassTrack.Kiosk.Appliance;
using PassTrack.Kiosk.Link;
using static PassTrack.Kiosk.Tests.Link.LinkTestSupport;

namespace PassTrack.Kiosk.Tests.Link;

public sealed class PowerCutTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("passtrack-kiosk-power-").FullName;

    [Fact]
    public async Task Killing_the_kiosk_while_it_takes_taps_loses_no_beeped_scan_and_the_edge_gets_each_exactly_once()
    {
        var ct = TestContext.Current.CancellationToken;
        // Real timers for the edge: its per-kiosk rate cap refills as the replay goes on.
        using var edge = await new EdgeHost(clock: new SchoolTimeClock()).StartedAsync();
        var secret = await ProvisionAsync(edge, "kiosk-a101", "A101");
        var credentials = Path.Combine(_folder, "credentials.json");
        KioskCredentials.Save(credentials, new KioskCredentials("kiosk-a101", secret, null));
        var outbox = Path.Combine(_folder, "outbox.db");
        var unreachable = EdgeHost.FreePort();
        var random = new Random(4);
        var beeped = 0;
        var card = 0;

        // Three power cuts at random moments while students tap with the edge out of reach.
        for (var cut = 0; cut < 3; cut++)
        {
            await using var kiosk = await KioskProcess.StartAsync(credentials, outbox, unreachable);
            using var tapping = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var taps = TapAsync(kiosk, () => card++, tapping.Token);
            // The cut lands at a random moment among the writes: after 5 to 30 beeps.
            var cutAfter = random.Next(5, 31);
            try
            {
                await kiosk.BeepedAsync(cutAfter, ct);
            }
            catch (TimeoutException)
            {
                Assert.Fail($"The kiosk beeped {kiosk.Beeped} times, not {cutAfter}:\n{kiosk.Output}");
            }
            await kiosk.KillAsync();
            await tapping.CancelAsync();
            await taps;
            beeped += kiosk.Beeped;
        }

        int stored;
        using (var check = new ScanOutbox(outbox))
        {
            Assert.True(check.IntegrityOk());
            stored = check.Count;
        }
        SqliteConnection.ClearAllPools();
        // Every beep was a stored scan; at most one scan per cut was stored without its beep heard.
        Assert.InRange(stored, beeped, beeped + 3);

        // Power back, edge in reach: the outbox empties into the edge, each scan once.
        await using (var back = await KioskProcess.StartAsync(credentials, outbox, edge.MqttPort))
        {
            try
            {
                await back.ReplayedAsync(ct);
            }
            catch (TimeoutException)
            {
                Assert.Fail($"The outbox did not empty into the edge:\n{back.Output}");
            }
        }
        Assert.Equal(0L, await PendingAsync(outbox, ct));
        Assert.Equal((long)stored, await ScalarAsync(edge.DataPath, "SELECT COUNT(*) FROM Scans WHERE KioskId = 'kiosk-a101'", ct));
        Assert.Equal(0L, await ScalarAsync(edge.DataPath, "SELECT COUNT(*) FROM (SELECT ScanId FROM Scans GROUP BY KioskId, ScanId HAVING COUNT(*) > 1)", ct));
    }

    /// <summary>A line of students: a different card each time, the next as soon as the kiosk beeped for the last.</summary>
    private static async Task TapAsync(KioskProcess kiosk, Func<int> nextCard, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var beeps = kiosk.Beeped + 1;
                await kiosk.SendAsync($"tap 04{nextCard().ToString("X6", CultureInfo.InvariantCulture)}");
                await kiosk.BeepedAsync(beeps, stop);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException or TimeoutException)
        {
            // Killed or stopped: the next round starts a new kiosk.
        }
    }

    private static async Task<long> PendingAsync(string outbox, CancellationToken ct)
    {
        await using var connection = new SqliteConnection($"Data Source={outbox};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(ct);
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM Pending";
        return (long)(await count.ExecuteScalarAsync(ct))!;
    }

    private static async Task<long> ScalarAsync(string path, string sql, CancellationToken ct)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS: every test has its own folder.
        }
    }
}
