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
        using var edge = await new EdgeHost().StartedAsync();
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
            using (var wait = new CancellationTokenSource(Patience))
            {
                // Enough beeps that the cut lands among writes, then a random moment more.
                while (kiosk.Beeped < 5)
                {
                    await Task.Delay(10, wait.Token);
                }
            }
            await Task.Delay(random.Next(0, 400), ct);
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
            using var wait = new CancellationTokenSource(Patience);
            try
            {
                while (await PendingAsync(outbox, wait.Token) > 0)
                {
                    // The edge's clock is a fake one: its per-kiosk rate cap refills only as it is moved on.
                    edge.Clock.Advance(TimeSpan.FromMilliseconds(200));
                    await Task.Delay(50, wait.Token);
                }
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"The outbox did not empty into the edge:\n{back.Output}");
            }
        }
        Assert.Equal((long)stored, await ScalarAsync(edge.DataPath, "SELECT COUNT(*) FROM Scans WHERE KioskId = 'kiosk-a101'", ct));
        Assert.Equal(0L, await ScalarAsync(edge.DataPath, "SELECT COUNT(*) FROM (SELECT ScanId FROM Scans GROUP BY KioskId, ScanId HAVING COUNT(*) > 1)", ct));
    }

    /// <summary>A different card every 40 ms, as a line of students would, until cancelled or the kiosk is gone.</summary>
    private static async Task TapAsync(KioskProcess kiosk, Func<int> nextCard, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await kiosk.SendAsync($"tap 04{nextCard().ToString("X6", CultureInfo.InvariantCulture)}");
                await Task.Delay(40, stop);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
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
