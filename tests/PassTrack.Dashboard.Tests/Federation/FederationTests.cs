using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using PassTrack.Contracts.District;
using PassTrack.Contracts.Passes;
using PassTrack.Dashboard.Federation;
using PassTrack.Edge.Store;
using PassTrack.Edge.Tests;
using PassTrack.Edge.Tests.Kiosks;

namespace PassTrack.Dashboard.Tests.Federation;

/// <summary>A real edge with real kiosks, linked over MQTT on loopback to a real district with its own SQLite store.</summary>
public sealed class FederationTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_event_the_edge_commits_reaches_the_district_once_and_in_order()
    {
        using var district = await new DistrictHost().StartedAsync();
        var building = await district.RegisterAsync();
        using var edge = await DistrictHost.LinkedEdge(district.BrokerPort, building.Secret).StartedAsync();
        await using var kiosk = await KioskTestSupport.KioskInAsync(edge, "A101");
        var student = KioskTestSupport.PlainStudents(edge).First(s => s.Homeroom?.Value == "A101");

        var tap = await kiosk.ScanAsync(KioskTestSupport.Card(student));
        var granted = await kiosk.ChooseAsync(tap.ScanId, "restroom-a-north");
        Assert.Equal(Outcome.Granted, granted.Outcome);
        await kiosk.ScanAsync(KioskTestSupport.Card(student));

        await district.Ingest.WaitForAsync(building.Id, edge.Writer.LastSequence, Ct).WaitAsync(Patience, Ct);
        await AssertSameLogAsync(edge, district, building.Id);
    }

    [Fact]
    public async Task With_the_district_down_the_edge_keeps_deciding_and_the_district_catches_up_exactly()
    {
        var folder = Directory.CreateTempSubdirectory("passtrack-district-").FullName;
        var port = EdgeHost.FreePort();
        RegisteredBuilding building;
        using (var first = await new DistrictHost(folder, port).StartedAsync())
        {
            building = await first.RegisterAsync();
        }

        // The district is down: the edge cannot link, and decides anyway.
        using var edge = await DistrictHost.LinkedEdge(port, building.Secret).StartedAsync();
        await using var kiosk = await KioskTestSupport.KioskInAsync(edge, "A101");
        var students = KioskTestSupport.PlainStudents(edge).Where(s => s.Homeroom?.Value == "A101").Take(2).ToList();
        var tap = await kiosk.ScanAsync(KioskTestSupport.Card(students[0]));
        Assert.Equal(Outcome.Granted, (await kiosk.ChooseAsync(tap.ScanId, "restroom-a-north")).Outcome);
        Assert.Equal(Outcome.Returned, (await kiosk.ScanAsync(KioskTestSupport.Card(students[0]))).Outcome);
        tap = await kiosk.ScanAsync(KioskTestSupport.Card(students[1]));
        Assert.Equal(Outcome.Granted, (await kiosk.ChooseAsync(tap.ScanId, "restroom-a-north")).Outcome);
        Assert.True(edge.Writer.LastSequence >= 3);
        Assert.Equal(HealthStatus.Degraded, (await DistrictHealthAsync(edge)).Status);

        // Back up on the same store and port: the edge reconnects on its own and sends everything it missed.
        using var district = await new DistrictHost(folder, port).StartedAsync();
        await district.Ingest.WaitForAsync(building.Id, edge.Writer.LastSequence, Ct).WaitAsync(Patience, Ct);
        await AssertSameLogAsync(edge, district, building.Id);
        Assert.Equal(HealthStatus.Healthy, (await DistrictHealthAsync(edge)).Status);
    }

    [Fact]
    public async Task Duplicated_and_reordered_batches_are_stored_once_and_a_gap_is_asked_for_again()
    {
        using var district = await new DistrictHost().StartedAsync();
        var building = await district.RegisterAsync("oak-ms", "Oak Middle School");
        await using var edge = await FakeEdge.ConnectAsync(district.BrokerPort, building.Id, building.Secret);

        // Events 3 and 4 arrive before 1 and 2: stored, but the district holds nothing without a gap yet and asks again.
        await edge.SendAsync(Batch(building.Id, 3, 4));
        var resend = await edge.NextSyncAsync();
        Assert.Equal(new SyncMessage(DistrictJson.Version, 0, Resend: true), resend);

        await edge.SendAsync(Batch(building.Id, 1, 2));
        Assert.Equal(new SyncMessage(DistrictJson.Version, 4, Resend: false), await edge.NextSyncAsync());

        // The same again, and an overlapping batch: nothing is stored twice.
        await edge.SendAsync(Batch(building.Id, 1, 2));
        Assert.Equal(new SyncMessage(DistrictJson.Version, 4, Resend: false), await edge.NextSyncAsync());
        await edge.SendAsync(Batch(building.Id, 2, 5));
        Assert.Equal(new SyncMessage(DistrictJson.Version, 5, Resend: false), await edge.NextSyncAsync());

        await using var scope = district.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FederationDb>();
        var stored = await db.Events.Where(e => e.BuildingId == building.Id).OrderBy(e => e.Sequence).Select(e => e.Sequence).ToListAsync(Ct);
        Assert.Equal([1L, 2, 3, 4, 5], stored);
        var row = await db.Buildings.SingleAsync(b => b.Id == building.Id, Ct);
        Assert.Equal(5, row.Through);
    }

    [Fact]
    public async Task A_building_may_not_sign_in_with_a_wrong_secret_nor_publish_under_another_building()
    {
        using var district = await new DistrictHost().StartedAsync();
        var oak = await district.RegisterAsync("oak-ms", "Oak Middle School");
        var elm = await district.RegisterAsync("elm-es", "Elm Elementary");

        var refused = await FakeEdge.TryConnectAsync(district.BrokerPort, oak.Id, elm.Secret);
        Assert.Equal(MQTTnet.MqttClientConnectResultCode.BadUserNameOrPassword, refused);

        await using var edge = await FakeEdge.ConnectAsync(district.BrokerPort, oak.Id, oak.Secret);
        var result = await edge.PublishAsync(DistrictTopics.For(elm.Id, DistrictTopic.Events), JsonSerializer.SerializeToUtf8Bytes(Batch(elm.Id, 1, 1), DistrictJson.Default.EventBatch));
        Assert.Equal(MQTTnet.MqttClientPublishReasonCode.NotAuthorized, result.ReasonCode);

        // Oak's own events still count, and nothing reached Elm.
        await edge.SendAsync(Batch(oak.Id, 1, 1));
        await district.Ingest.WaitForAsync(oak.Id, 1, Ct).WaitAsync(Patience, Ct);
        await using var scope = district.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FederationDb>();
        Assert.Equal(0, await db.Events.CountAsync(e => e.BuildingId == elm.Id, Ct));
    }

    [Fact]
    public async Task Malformed_and_oversized_messages_are_refused_and_what_was_stored_is_kept()
    {
        using var district = await new DistrictHost(settings: new Dictionary<string, string> { ["District:Broker:MaxMessageBytes"] = "65536" }).StartedAsync();
        var building = await district.RegisterAsync("oak-ms", "Oak Middle School");
        await using var edge = await FakeEdge.ConnectAsync(district.BrokerPort, building.Id, building.Secret);
        await edge.SendAsync(Batch(building.Id, 1, 2));
        Assert.Equal(2, (await edge.NextSyncAsync()).Through);

        var events = DistrictTopics.For(building.Id, DistrictTopic.Events);
        // Not JSON; JSON of the wrong shape; sequences that go backwards; a batch that claims another building.
        await edge.PublishAsync(events, "{not json"u8.ToArray());
        await edge.PublishAsync(events, "[1,2,3]"u8.ToArray());
        await edge.PublishAsync(events, JsonSerializer.SerializeToUtf8Bytes(Batch(building.Id, 3, 4) with { Events = [.. Batch(building.Id, 3, 4).Events.Reverse()] }, DistrictJson.Default.EventBatch));
        await edge.PublishAsync(events, JsonSerializer.SerializeToUtf8Bytes(Batch("elm-es", 3, 3), DistrictJson.Default.EventBatch));
        var oversized = await edge.PublishAsync(events, new byte[70_000]);
        Assert.Equal(MQTTnet.MqttClientPublishReasonCode.QuotaExceeded, oversized.ReasonCode);

        // The district keeps serving: the next good batch is taken, and events 1 and 2 are as they were.
        await edge.SendAsync(Batch(building.Id, 3, 3));
        Assert.Equal(new SyncMessage(DistrictJson.Version, 3, Resend: false), await edge.NextSyncAsync());
        await using var scope = district.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<FederationDb>().Events.Where(e => e.BuildingId == building.Id)
            .OrderBy(e => e.Sequence).Select(e => e.Json).ToListAsync(Ct);
        Assert.Equal(["{\"n\":1}", "{\"n\":2}", "{\"n\":3}"], stored);
    }

    [Fact]
    public async Task A_dashboard_command_runs_at_the_edge_for_its_user_with_their_role_and_is_then_seen_as_an_event()
    {
        using var district = await new DistrictHost().StartedAsync();
        var building = await district.RegisterAsync();
        using var edge = await DistrictHost.LinkedEdge(district.BrokerPort, building.Secret).StartedAsync();
        await WaitOnlineAsync(district, building.Id);

        // A teacher's role carries no emergency scope at the building.
        var teacher = await district.Commands.SendAsync(building.Id, new CommandActor("u-17", "Ms Ruiz", "Teacher"), "POST", "/api/emergency/lockdown", null, Ct);
        Assert.Equal(CommandState.Answered, teacher.State);
        Assert.Equal(403, teacher.Status);
        Assert.Null(await edge.Writer.ReadAsync(b => b.Emergency, Ct));

        var admin = await district.Commands.SendAsync(building.Id, new CommandActor("u-1", "Dr Okafor", "Admin"), "POST", "/api/emergency/lockdown", null, Ct);
        Assert.True(admin.Succeeded, $"{admin.State} {admin.Status} {admin.Body}");
        Assert.NotNull(await edge.Writer.ReadAsync(b => b.Emergency, Ct));

        // The lockdown is an event of the building's log, and the district has it.
        await district.Ingest.WaitForAsync(building.Id, edge.Writer.LastSequence, Ct).WaitAsync(Patience, Ct);
        await using var scope = district.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FederationDb>();
        var last = await db.Events.Where(e => e.BuildingId == building.Id).OrderByDescending(e => e.Sequence).FirstAsync(Ct);
        Assert.Contains("Emergency", last.Type, StringComparison.Ordinal);
        Assert.Contains("Dr Okafor", last.Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_to_an_offline_building_says_so_and_is_not_sent()
    {
        using var district = await new DistrictHost().StartedAsync();
        var building = await district.RegisterAsync();
        var outcome = await district.Commands.SendAsync(building.Id, new CommandActor("u-1", "Dr Okafor", "Admin"), "POST", "/api/emergency/lockdown", null, Ct);
        Assert.Equal(CommandState.Unreachable, outcome.State);
        Assert.Contains("offline", outcome.Message, StringComparison.Ordinal);
    }

    private static async Task<HealthReportEntry> DistrictHealthAsync(EdgeHost edge) =>
        (await edge.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct)).Entries["district"];

    private static Task WaitOnlineAsync(DistrictHost district, string buildingId) =>
        district.Commands.WaitOnlineAsync(buildingId, Ct).WaitAsync(Patience, Ct);

    private static async Task AssertSameLogAsync(EdgeHost edge, DistrictHost district, string buildingId)
    {
        await using var edgeScope = edge.Services.CreateAsyncScope();
        var edgeEvents = await edgeScope.ServiceProvider.GetRequiredService<EdgeDb>().Events.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync(Ct);
        await using var districtScope = district.Services.CreateAsyncScope();
        var districtEvents = await districtScope.ServiceProvider.GetRequiredService<FederationDb>().Events.AsNoTracking()
            .Where(e => e.BuildingId == buildingId).OrderBy(e => e.Sequence).ToListAsync(Ct);
        Assert.NotEmpty(edgeEvents);
        Assert.Equal(edgeEvents.Select(e => (e.Sequence, e.Type, e.AtUnixMs)), districtEvents.Select(e => (e.Sequence, e.Type, e.AtUnixMs)));
        Assert.All(edgeEvents.Zip(districtEvents), pair => Assert.True(
            JsonElement.DeepEquals(JsonDocument.Parse(pair.First.Json).RootElement, JsonDocument.Parse(pair.Second.Json).RootElement),
            $"event {pair.First.Sequence} differs"));
    }

    private static EventBatch Batch(string buildingId, long from, long to) => new(
        DistrictJson.Version,
        buildingId,
        [.. Enumerable.Range((int)from, (int)(to - from + 1)).Select(s => new FederatedEvent(s, "PassCreated", 1_780_000_000_000 + s, JsonSerializer.SerializeToElement(new { n = s })))],
        to);
}
