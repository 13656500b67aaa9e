using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using PassTrack.Contracts.Passes;
using PassTrack.Contracts.Protocol;
using PassTrack.Edge.Tests.Kiosks;
using PassTrack.Rules.Configuration;
using PassTrack.Rules.Demo;
using PassTrack.Rules.Students;

namespace PassTrack.Edge.Tests.Durability;

/// <summary>
/// Power cuts under load: kiosks tap, choose and return as fast as the edge answers while the edge process is killed
/// with SIGKILL at random moments, then restarted on the same files. Every decision a kiosk received must be in the
/// store exactly as sent, nothing may be applied twice, SQLite must pass its integrity check, and replaying the same
/// scans after the restart must change nothing.
/// </summary>
public class KillTests
{
    private const int Kiosks = 6;
    private const int Rounds = 3;

    [Fact]
    public async Task Every_received_decision_survives_a_kill_at_a_random_moment_and_nothing_is_applied_twice()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Directory.CreateTempSubdirectory("passtrack-kill-").FullName;
        var dataPath = Path.Combine(folder, "edge.db");
        var random = new Random(20261125);
        var received = new ConcurrentDictionary<(string Kiosk, string Scan), string>();
        var sent = new ConcurrentDictionary<(string Kiosk, string Scan), byte[]>();
        try
        {
            var (kiosks, students) = await PrepareStoreAsync(dataPath);
            var mqttPort = EdgeHost.FreePort();
            for (var round = 0; round < Rounds; round++)
            {
                await using var edge = await EdgeProcess.StartAsync(dataPath, mqttPort);
                using var kill = new CancellationTokenSource();
                using var replies = new SemaphoreSlim(0);
                var workers = kiosks.Select((k, i) => TapAsync(k.Id, k.Secret, students[k.Room], mqttPort, round * 1000 + i, received, sent, replies, kill.Token)).ToList();
                // A random moment, counted in the decisions the kiosks have received so far in this round.
                for (var wanted = random.Next(20, 300); wanted > 0; wanted--)
                {
                    Assert.True(await replies.WaitAsync(TimeSpan.FromSeconds(30), ct), $"The kiosks stopped getting replies:\n{edge.Output}");
                }
                await edge.KillAsync();
                await kill.CancelAsync();
                await Task.WhenAll(workers);
            }

            var before = Inspect(dataPath);
            TestContext.Current.TestOutputHelper?.WriteLine($"{received.Count} replies received over {Rounds} kills; store: {before.EventCount} events, {before.Replies.Count} scans.");
            Assert.Equal("ok", before.Integrity);
            Assert.True(received.Count > 50, $"Only {received.Count} decisions were received before the kills: the test exercised too little.");
            foreach (var ((kiosk, scan), reply) in received)
            {
                Assert.True(before.Replies.TryGetValue((kiosk, scan), out var stored), $"{kiosk} received a reply to {scan} that the store does not have.");
                Assert.Equal(reply, stored);
            }
            Assert.Equal(before.EventCount, before.LastSequence);
            // A pass is created at most once per decision: every granted reply names a pass created exactly once.
            var granted = received.Values.Select(r => JsonSerializer.Deserialize(r, ProtocolJson.Default.DecisionReply)!)
                .Where(r => r.Outcome == Outcome.Granted && r.PassId is not null).Select(r => long.Parse(r.PassId!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.All(granted, id => Assert.Equal(1, before.PassesCreated.GetValueOrDefault(id)));

            // Restart and replay every scan the kiosks saw answered: same replies, no new events.
            await using (var edge = await EdgeProcess.StartAsync(dataPath, mqttPort))
            {
                foreach (var group in received.Keys.GroupBy(k => k.Kiosk))
                {
                    var device = kiosks.Single(k => k.Id == group.Key);
                    await using var kiosk = await TestKiosk.ConnectAsync(mqttPort, device.Id, device.Secret, TimeProvider.System, online: false);
                    foreach (var key in group)
                    {
                        var topic = sent[key].Length > 0 && IsChoose(sent[key]) ? Topics.Choose(device.Id) : Topics.Scan(device.Id);
                        var again = await kiosk.RequestAsync(topic, sent[key], key.Scan);
                        Assert.Equal(received[key], JsonSerializer.Serialize(again, ProtocolJson.Default.DecisionReply));
                    }
                }
                await edge.KillAsync();
            }
            var after = Inspect(dataPath);
            Assert.Equal(before.LastSequence, after.LastSequence);
            Assert.Equal(before.Replies.Count, after.Replies.Count);
            Assert.Equal("ok", after.Integrity);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static bool IsChoose(byte[] payload) => payload.AsSpan().IndexOf("\"forScan\""u8) >= 0;

    /// <summary>Provisions the kiosks and lets passes start at any hour, with the edge running in this process.</summary>
    private static async Task<(List<(string Id, string Secret, string Room)> Kiosks, Dictionary<string, List<Student>> Students)> PrepareStoreAsync(string dataPath)
    {
        using var edge = await new EdgeHost(configure: s => s["Edge:DataPath"] = dataPath).StartedAsync();
        var policy = edge.Writer.StartingConfiguration.Policy with { PassesOutsidePeriods = true, RoomOutLimit = 50, DailyLimit = 1000, WeeklyLimit = null };
        await edge.Writer.SubmitAsync(new ChangePolicy(policy, edge.Clock.GetUtcNow(), DemoSchool.Principal), TestContext.Current.CancellationToken);
        var plain = KioskTestSupport.PlainStudents(edge);
        var kiosks = new List<(string, string, string)>();
        var students = new Dictionary<string, List<Student>>(StringComparer.Ordinal);
        foreach (var room in plain.GroupBy(s => s.Homeroom!.Value.Value).OrderBy(g => g.Key, StringComparer.Ordinal).Take(Kiosks))
        {
            var id = $"kiosk-{room.Key.ToLowerInvariant()}";
            kiosks.Add((id, await KioskTestSupport.ProvisionAsync(edge, id, room.Key), room.Key));
            students[room.Key] = [.. room.Take(12)];
        }
        return (kiosks, students);
    }

    /// <summary>One kiosk: students tap, choose the locker, and tap back in, as fast as answers come, until the kill.</summary>
    private static async Task TapAsync(string id, string secret, List<Student> students, int port, int seed, ConcurrentDictionary<(string, string), string> received, ConcurrentDictionary<(string, string), byte[]> sent, SemaphoreSlim replies, CancellationToken killed)
    {
        var random = new Random(seed);
        try
        {
            await using var kiosk = await TestKiosk.ConnectAsync(port, id, secret, TimeProvider.System);
            var scan = 0;
            while (!killed.IsCancellationRequested)
            {
                var student = students[random.Next(students.Count)];
                var card = student.Credentials.First(c => c.Kind == CredentialKind.Card).Value;
                var scanId = $"{id}-r{seed}-{++scan}";
                var tap = TestKiosk.Json(new ScanRequest(Protocol.Version, scanId, CredentialType.Card, card, TimeProvider.System.GetUtcNow()), ProtocolJson.Default.ScanRequest);
                sent[(id, scanId)] = tap;
                var identified = await kiosk.RequestAsync(Topics.Scan(id), tap, scanId).WaitAsync(killed);
                received[(id, scanId)] = JsonSerializer.Serialize(identified, ProtocolJson.Default.DecisionReply);
                replies.Release();
                if (identified.Outcome != Outcome.Identified)
                {
                    continue;
                }
                var chooseId = $"{id}-r{seed}-{++scan}";
                var choose = TestKiosk.Json(new ChooseRequest(Protocol.Version, chooseId, scanId, "locker", TimeProvider.System.GetUtcNow()), ProtocolJson.Default.ChooseRequest);
                sent[(id, chooseId)] = choose;
                var decision = await kiosk.RequestAsync(Topics.Choose(id), choose, chooseId).WaitAsync(killed);
                received[(id, chooseId)] = JsonSerializer.Serialize(decision, ProtocolJson.Default.DecisionReply);
                replies.Release();
            }
        }
        catch (Exception ex) when (killed.IsCancellationRequested || ex is MQTTnet.Exceptions.MqttCommunicationException or TimeoutException or OperationCanceledException)
        {
            // The edge was killed mid-request: whatever was not answered was never promised.
        }
    }

    private sealed record StoreState(string Integrity, long EventCount, long LastSequence, Dictionary<(string, string), string> Replies, Dictionary<long, int> PassesCreated);

    private static StoreState Inspect(string dataPath)
    {
        using var db = new SqliteConnection($"Data Source={dataPath};Pooling=false");
        db.Open();
        string Scalar(string sql)
        {
            using var command = db.CreateCommand();
            command.CommandText = sql;
            return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
        }
        var integrity = Scalar("PRAGMA integrity_check");
        var count = long.Parse(Scalar("SELECT COUNT(*) FROM Events"), System.Globalization.CultureInfo.InvariantCulture);
        var last = long.Parse(Scalar("SELECT COALESCE(MAX(Sequence), 0) FROM Events"), System.Globalization.CultureInfo.InvariantCulture);
        var replies = new Dictionary<(string, string), string>();
        using (var command = db.CreateCommand())
        {
            command.CommandText = "SELECT KioskId, ScanId, Reply FROM Scans";
            using var row = command.ExecuteReader();
            while (row.Read())
            {
                var reply = JsonSerializer.Deserialize((byte[])row.GetValue(2), ProtocolJson.Default.DecisionReply)!;
                replies[(row.GetString(0), row.GetString(1))] = JsonSerializer.Serialize(reply, ProtocolJson.Default.DecisionReply);
            }
        }
        var created = new Dictionary<long, int>();
        using (var command = db.CreateCommand())
        {
            command.CommandText = "SELECT PassId, COUNT(*) FROM Events WHERE Type = 'PassCreated' GROUP BY PassId";
            using var row = command.ExecuteReader();
            while (row.Read())
            {
                created[row.GetInt64(0)] = row.GetInt32(1);
            }
        }
        return new StoreState(integrity, count, last, replies, created);
    }
}
