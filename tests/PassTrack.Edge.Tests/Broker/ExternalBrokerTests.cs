using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;
using PassTrack.Contracts.Passes;
using PassTrack.Contracts.Protocol;
using PassTrack.Edge.Broker;
using PassTrack.Edge.Kiosks;
using PassTrack.Edge.Tests.Kiosks;
using PassTrack.Rules.Demo;
using PassTrack.Rules.Emergencies;
using static PassTrack.Edge.Tests.Kiosks.KioskTestSupport;

namespace PassTrack.Edge.Tests.Broker;

/// <summary>
/// The same kiosk flows with Mosquitto as the broker (Edge:Mqtt:Mode = External): kiosks log in to Mosquitto with its
/// password file and ACL, and the edge is one more client there.
/// </summary>
public class ExternalBrokerTests
{
    private static readonly Dictionary<string, string> Kiosks = new(StringComparer.Ordinal)
    {
        ["kiosk-a101"] = "secret-of-kiosk-a101-at-mosquitto",
        ["kiosk-a102"] = "secret-of-kiosk-a102-at-mosquitto",
    };

    private static async Task<EdgeHost> EdgeOnAsync(MosquittoBroker mosquitto)
    {
        var edge = new EdgeHost(configure: s =>
        {
            s["Edge:Mqtt:Mode"] = "External";
            s["Edge:Mqtt:ExternalHost"] = "127.0.0.1";
            s["Edge:Mqtt:ExternalPort"] = mosquitto.Port.ToString(CultureInfo.InvariantCulture);
            s["Edge:Mqtt:ExternalUsername"] = MosquittoBroker.EdgeUser;
            s["Edge:Mqtt:ExternalPassword"] = MosquittoBroker.EdgePassword;
        });
        await edge.StartedAsync();
        await edge.Services.GetRequiredService<IKioskTransport>().Ready.WaitAsync(TestKiosk.Timeout);
        return edge;
    }

    private static Task<TestKiosk> KioskAsync(EdgeHost edge, MosquittoBroker mosquitto, string id) =>
        TestKiosk.ConnectAsync(mosquitto.Port, id, Kiosks[id], edge.Clock);

    [Fact]
    public async Task Tap_choose_go_and_return_through_mosquitto_with_replays_answered_from_the_store()
    {
        await using var mosquitto = await MosquittoBroker.StartAsync(Kiosks);
        using var edge = await EdgeOnAsync(mosquitto);
        await ProvisionAsync(edge, "kiosk-a101", "A101");
        await using var kiosk = await KioskAsync(edge, mosquitto, "kiosk-a101");
        var student = PlainStudents(edge)[0];

        // The retained Online status is how the edge learns a kiosk came: it answers with the configuration.
        Assert.Equal("A101", (await kiosk.CommandAsync(CommandType.Configure)).Configuration!.RoomId);

        var scan = await kiosk.ScanAsync(Card(student), scanId: "m-1");
        Assert.Equal(Outcome.Identified, scan.Outcome);
        var choice = await kiosk.ChooseAsync("m-1", "restroom-a-north", scanId: "m-2");
        Assert.Equal(Outcome.Granted, choice.Outcome);
        Assert.Equivalent(choice, await kiosk.ChooseAsync("m-1", "restroom-a-north", scanId: "m-2"));

        edge.Clock.Advance(TimeSpan.FromMinutes(4));
        var back = await kiosk.ScanAsync(Card(student), scannedAt: edge.Clock.GetUtcNow().AddMinutes(-1), replay: true);
        Assert.Equal(Outcome.Returned, back.Outcome);
        Assert.Equal(180, back.WaitSeconds);
        Assert.True(edge.Services.GetRequiredService<KioskPresence>().IsOnline("kiosk-a101"));
    }

    [Fact]
    public async Task A_lockdown_reaches_every_kiosk_on_mosquitto_and_its_acl_keeps_kiosks_to_their_own_topics()
    {
        await using var mosquitto = await MosquittoBroker.StartAsync(Kiosks);
        using var edge = await EdgeOnAsync(mosquitto);
        await using var a101 = await KioskAsync(edge, mosquitto, "kiosk-a101");
        await using var a102 = await KioskAsync(edge, mosquitto, "kiosk-a102");
        await a101.CommandAsync(CommandType.Configure);
        await a102.CommandAsync(CommandType.Configure);
        var student = PlainStudents(edge)[0];

        // Mosquitto refuses a publish on another kiosk's topic; the edge never sees it.
        var stolen = TestKiosk.Json(new ScanRequest(Protocol.Version, "stolen-1", CredentialType.Card, Card(student), edge.Clock.GetUtcNow()), ProtocolJson.Default.ScanRequest);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await a101.PublishAsync(Topics.Scan("kiosk-a102"), stolen)).ReasonCode);
        // Subscribing to everything is granted by Mosquitto, but its ACL delivers only what the kiosk may read.
        var snooped = new List<string>();
        a101.Client.ApplicationMessageReceivedAsync += e =>
        {
            lock (snooped)
            {
                snooped.Add(e.ApplicationMessage.Topic);
            }
            return Task.CompletedTask;
        };
        await a101.Client.SubscribeAsync("#", MqttQualityOfServiceLevel.AtLeastOnce, TestContext.Current.CancellationToken);
        Assert.Equal(Outcome.Identified, (await a102.ScanAsync(Card(student))).Outcome);

        await edge.Writer.SubmitAsync(new StartEmergency(EmergencyKind.FireDrill, edge.Clock.GetUtcNow(), DemoSchool.Principal), TestContext.Current.CancellationToken);

        await a101.CommandAsync(CommandType.FireDrill);
        await a102.CommandAsync(CommandType.FireDrill);
        Assert.Equal(ReasonCode.FireDrill, (await a101.ScanAsync(Card(student))).Reason);
        lock (snooped)
        {
            Assert.All(snooped, t => Assert.StartsWith(Topics.KiosksRoot + "kiosk-a101/", t, StringComparison.Ordinal));
        }
        Assert.Equal(0L, await HostileKioskTests.ScalarAsync(edge, "SELECT COUNT(*) FROM Scans WHERE ScanId = 'stolen-1'"));
    }

    [Fact]
    public async Task The_edge_reconnects_to_mosquitto_after_it_restarts()
    {
        await using var mosquitto = await MosquittoBroker.StartAsync(Kiosks);
        using var edge = await EdgeOnAsync(mosquitto);
        var client = edge.Services.GetRequiredService<ExternalBrokerClient>();
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ConnectFailed += () => failed.TrySetResult();
        client.Connected += () => connected.TrySetResult();

        await mosquitto.StopAsync();
        await failed.Task.WaitAsync(TestKiosk.Timeout, TestContext.Current.CancellationToken);
        await mosquitto.RestartAsync();
        // The back-off waits on the edge's clock.
        edge.Clock.Advance(TimeSpan.FromSeconds(30));
        await connected.Task.WaitAsync(TestKiosk.Timeout, TestContext.Current.CancellationToken);

        await using var kiosk = await KioskAsync(edge, mosquitto, "kiosk-a101");
        Assert.Equal(Outcome.Identified, (await kiosk.ScanAsync(Card(PlainStudents(edge)[0]))).Outcome);
    }

    [Fact]
    public async Task Mosquitto_refuses_kiosks_it_does_not_know()
    {
        await using var mosquitto = await MosquittoBroker.StartAsync(Kiosks);
        using var edge = await EdgeOnAsync(mosquitto);

        var result = await TestKiosk.TryConnectAsync(TestKiosk.Options(mosquitto.Port, "kiosk-a101", "wrong-secret-0123456").Build());

        Assert.NotEqual(MqttClientConnectResultCode.Success, result);
    }
}
