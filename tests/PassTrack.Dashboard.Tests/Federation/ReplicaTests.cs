using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PassTrack.Contracts.District;
using PassTrack.Contracts.Passes;
using PassTrack.Dashboard.Federation;
using PassTrack.Edge.Tests;
using PassTrack.Edge.Tests.Kiosks;
using PassTrack.Rules;

namespace PassTrack.Dashboard.Tests.Federation;

/// <summary>
/// The district's replica of a building: the edge's setup, sent when the district asks for it, with the log replayed
/// on it, is the building the edge has: the same passes in the same states, the same students by name.
/// </summary>
public sealed class ReplicaTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_replica_holds_the_passes_the_edge_holds()
    {
        using var district = await new DistrictHost().StartedAsync();
        var building = await district.RegisterAsync();
        using var edge = await DistrictHost.LinkedEdge(district.BrokerPort, building.Secret).StartedAsync();
        await using var kiosk = await KioskTestSupport.KioskInAsync(edge, "A101");
        var students = KioskTestSupport.PlainStudents(edge).Where(s => s.Homeroom?.Value == "A101").Take(2).ToList();
        // One goes and comes back (the replica must close that pass too), then the next goes.
        var tap = await kiosk.ScanAsync(KioskTestSupport.Card(students[0]));
        Assert.Equal(Outcome.Granted, (await kiosk.ChooseAsync(tap.ScanId, "library")).Outcome);
        Assert.Equal(Outcome.Returned, (await kiosk.ScanAsync(KioskTestSupport.Card(students[0]))).Outcome);
        tap = await kiosk.ScanAsync(KioskTestSupport.Card(students[1]));
        Assert.Equal(Outcome.Granted, (await kiosk.ChooseAsync(tap.ScanId, "library")).Outcome);

        var replicas = district.Services.GetRequiredService<BuildingReplicas>();
        var replica = await WaitForReplicaAsync(replicas, building.Id, edge.Writer.LastSequence);

        var atEdge = await edge.Writer.ReadAsync(Describe, Ct);
        var atDistrict = replica.Read(Describe);
        Assert.Equal([PassState.Completed, PassState.Active], atEdge.Select(p => p.State));
        Assert.Equal(atEdge, atDistrict);
        Assert.Equal(edge.Writer.LastSequence, replica.Through);
        var named = replica.Read(b => b.FindStudent(students[1].Id));
        Assert.Equal(students[1].LastName, named?.LastName);
        Assert.Null(replica.Fault);
    }

    [Fact]
    public async Task A_district_restarted_on_its_store_rebuilds_the_replica_without_asking_again()
    {
        var folder = Directory.CreateTempSubdirectory("passtrack-district-").FullName;
        var port = EdgeHost.FreePort();
        RegisteredBuilding building;
        long sequence;
        using (var first = await new DistrictHost(folder, port).StartedAsync())
        {
            building = await first.RegisterAsync();
            using var edge = await DistrictHost.LinkedEdge(port, building.Secret).StartedAsync();
            await using var kiosk = await KioskTestSupport.KioskInAsync(edge, "A101");
            var student = KioskTestSupport.PlainStudents(edge).First(s => s.Homeroom?.Value == "A101");
            var tap = await kiosk.ScanAsync(KioskTestSupport.Card(student));
            Assert.Equal(Outcome.Granted, (await kiosk.ChooseAsync(tap.ScanId, "library")).Outcome);
            sequence = edge.Writer.LastSequence;
            await WaitForReplicaAsync(first.Services.GetRequiredService<BuildingReplicas>(), building.Id, sequence);
        }

        // No edge now: the replica comes back from the district's own store.
        using var district = await new DistrictHost(folder, port).StartedAsync();
        var replicas = district.Services.GetRequiredService<BuildingReplicas>();
        await replicas.Loaded.WaitAsync(Patience, Ct);
        var replica = replicas.Find(building.Id);
        Assert.NotNull(replica);
        Assert.Equal(sequence, replica.Through);
        Assert.Single(replica.Read(b => b.ActivePasses.ToList()));
    }

    [Fact]
    public async Task A_hostile_setup_is_refused_and_logged_and_a_good_one_still_taken()
    {
        using var district = await new DistrictHost().StartedAsync();
        var building = await district.RegisterAsync("oak-ms", "Oak Middle School");
        await using var edge = await FakeEdge.ConnectAsync(district.BrokerPort, building.Id, building.Secret);
        var topic = DistrictTopics.For(building.Id, DistrictTopic.Setup);

        // Not base64; a gzip bomb (a kilobyte that unpacks past the cap); another building's setup; not gzip at all.
        await edge.PublishAsync(topic, Setup(building.Id, "%%% not base64 %%%"));
        await edge.PublishAsync(topic, Setup(building.Id, Convert.ToBase64String(Gzip(new byte[DistrictIngest.MaxSetupBytes + 1]))));
        var elsewhere = Rules.Demo.DemoSchool.Create(Rules.Demo.DemoSchoolSize.Typical, buildingId: "lincoln-hs", name: "Lincoln");
        await edge.PublishAsync(topic, Setup(building.Id, Convert.ToBase64String(Gzip(Encoding.UTF8.GetBytes(Rules.Json.EventJson.Serialize(elsewhere))))));
        await edge.PublishAsync(topic, Setup(building.Id, Convert.ToBase64String(Encoding.UTF8.GetBytes("{}"))));

        // The good one, last: once it is stored, every message before it was handled (one loop takes them in order).
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        district.Ingest.SetupReceived += id => received.TrySetResult();
        var own = Rules.Demo.DemoSchool.Create(Rules.Demo.DemoSchoolSize.Typical, buildingId: building.Id, name: "Oak Middle School");
        await edge.PublishAsync(topic, Setup(building.Id, Convert.ToBase64String(Gzip(Encoding.UTF8.GetBytes(Rules.Json.EventJson.Serialize(own))))));
        await received.Task.WaitAsync(Patience, Ct);

        var refusals = district.Logs.Where(l => l.Contains("Refused a federation message on 'passtrack/v1/district/oak-ms/setup'", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, refusals.Count);
        Assert.Contains(refusals, l => l.Contains("not base64", StringComparison.Ordinal));
        Assert.Contains(refusals, l => l.Contains("unpacks to more than", StringComparison.Ordinal));
        Assert.Contains(refusals, l => l.Contains("the setup is of building 'lincoln-hs'", StringComparison.Ordinal));
        await using var scope = district.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<FederationDb>().Setups.SingleAsync(s => s.BuildingId == building.Id, Ct);
        Assert.Contains("\"buildingId\":\"oak-ms\"", stored.Json, StringComparison.Ordinal);
    }

    private static byte[] Setup(string buildingId, string gzip) =>
        JsonSerializer.SerializeToUtf8Bytes(new SetupMessage(DistrictJson.Version, buildingId, 1, gzip), DistrictJson.Default.SetupMessage);

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
        {
            gzip.Write(bytes);
        }
        return output.ToArray();
    }

    private static List<(long Pass, string Student, PassState? State, string Destination)> Describe(Building b) =>
        [.. b.OpenPasses.Concat(b.ClosedToday).OrderBy(p => p.Id.Value).Select(p => (p.Id.Value, p.Student.Value, p.State, p.Destination.Value))];

    /// <summary>Waits, on the replicas' own signal, until the building's replica has applied the log through <paramref name="sequence"/>.</summary>
    internal static async Task<BuildingReplica> WaitForReplicaAsync(BuildingReplicas replicas, string buildingId, long sequence)
    {
        var caughtUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(ReplicaChange change)
        {
            if (change.BuildingId == buildingId && change.Through >= sequence)
            {
                caughtUp.TrySetResult();
            }
        }
        replicas.Changed += OnChanged;
        try
        {
            if (replicas.Find(buildingId) is not { } now || now.Through < sequence)
            {
                await caughtUp.Task.WaitAsync(Patience, Ct);
            }
            return replicas.Find(buildingId)!;
        }
        finally
        {
            replicas.Changed -= OnChanged;
        }
    }
}
