using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PassTrack.Contracts.District;
using PassTrack.Contracts.Passes;
using PassTrack.Dashboard.Federation;
using PassTrack.Edge.Store;
using PassTrack.Edge.Tests.Broker;
using PassTrack.Edge.Tests.Kiosks;

namespace PassTrack.Dashboard.Tests.Federation;

/// <summary>The district on an external broker: Debian's Mosquitto with the accounts and ACL docs/federation.md gives.</summary>
public sealed class MosquittoFederationTests
{
    private const string IngestUser = "district-ingest";
    private const string IngestPassword = "district-ingest-password-0123";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Events_and_commands_go_through_Mosquitto_as_through_the_embedded_broker()
    {
        // Register the building first: Mosquitto's accounts need its secret, and the district needs Mosquitto's port.
        var folder = Directory.CreateTempSubdirectory("passtrack-district-").FullName;
        RegisteredBuilding building;
        using (var registrar = await new DistrictHost(folder).StartedAsync())
        {
            building = await registrar.RegisterAsync();
        }
        await using var mosquitto = await MosquittoBroker.StartAsync(
            new Dictionary<string, string> { [IngestUser] = IngestPassword, [building.Id] = building.Secret },
            Acl, maxPacket: 2 * 1024 * 1024);
        using var linked = await new DistrictHost(folder, mosquitto.Port, new Dictionary<string, string>
        {
            ["District:Broker:Embedded"] = "false",
            ["District:Broker:Host"] = "127.0.0.1",
            ["District:Broker:UserName"] = IngestUser,
            ["District:Broker:Password"] = IngestPassword,
        }).StartedAsync();

        using var edge = await DistrictHost.LinkedEdge(mosquitto.Port, building.Secret).StartedAsync();
        await using var kiosk = await KioskTestSupport.KioskInAsync(edge, "A101");
        var student = KioskTestSupport.PlainStudents(edge).First(s => s.Homeroom?.Value == "A101");
        var tap = await kiosk.ScanAsync(KioskTestSupport.Card(student));
        Assert.Equal(Outcome.Granted, (await kiosk.ChooseAsync(tap.ScanId, "restroom-a-north")).Outcome);

        await linked.Commands.WaitOnlineAsync(building.Id, Ct).WaitAsync(Patience, Ct);
        var lockdown = await linked.Commands.SendAsync(building.Id, new CommandActor("u-1", "Dr Okafor", "Admin"), "POST", "/api/emergency/lockdown", null, Ct);
        Assert.True(lockdown.Succeeded, $"{lockdown.State} {lockdown.Status}");

        await linked.Ingest.WaitForAsync(building.Id, edge.Writer.LastSequence, Ct).WaitAsync(Patience, Ct);
        await using var edgeScope = edge.Services.CreateAsyncScope();
        var edgeLog = await edgeScope.ServiceProvider.GetRequiredService<EdgeDb>().Events.AsNoTracking().OrderBy(e => e.Sequence).Select(e => e.Sequence).ToListAsync(Ct);
        await using var scope = linked.Services.CreateAsyncScope();
        var districtLog = await scope.ServiceProvider.GetRequiredService<FederationDb>().Events.AsNoTracking()
            .Where(e => e.BuildingId == building.Id).OrderBy(e => e.Sequence).Select(e => e.Sequence).ToListAsync(Ct);
        Assert.Equal(edgeLog, districtLog);

        // The setup came through Mosquitto too: the replica holds the lockdown.
        var replica = await ReplicaTests.WaitForReplicaAsync(linked.Services.GetRequiredService<BuildingReplicas>(), building.Id, edge.Writer.LastSequence);
        Assert.NotNull(replica.Read(b => b.Emergency));
    }

    private static string Acl
    {
        get
        {
            var d = DistrictTopics.Root;
            return $"""
                user {IngestUser}
                topic readwrite {d}#

                pattern write {d}%u/hello
                pattern write {d}%u/events
                pattern write {d}%u/status
                pattern write {d}%u/results
                pattern write {d}%u/setup
                pattern read {d}%u/sync
                pattern read {d}%u/commands

                """;
        }
    }
}
