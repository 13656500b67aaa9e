using System.Net.Sockets;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using PassTrack.Contracts.Passes;
using PassTrack.Contracts.Protocol;
using PassTrack.Edge.Kiosks;
using PassTrack.Edge.Tests.Kiosks;
using static PassTrack.Edge.Tests.Kiosks.KioskTestSupport;

namespace PassTrack.Edge.Tests.Broker;

/// <summary>
/// What a broken or hostile device can do to the embedded broker: each attempt is refused and counted with its reason,
/// and the kiosks around it, and what the store already holds, are unaffected.
/// </summary>
public class HostileKioskTests
{
    [Fact]
    public async Task Unknown_devices_wrong_secrets_bad_client_ids_and_old_protocols_are_refused_with_their_reason()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var metric = new RefusedMetric(edge);
        var secret = await ProvisionAsync(edge, "kiosk-a101", "A101");

        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await TestKiosk.TryConnectAsync(TestKiosk.Options(edge.MqttPort, "kiosk-nobody", "whatever-secret-123").Build()));
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await TestKiosk.TryConnectAsync(TestKiosk.Options(edge.MqttPort, "kiosk-a101", "not-its-secret-1234").Build()));
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await TestKiosk.TryConnectAsync(TestKiosk.Options(edge.MqttPort, "kiosk-a101", "").WithCredentials("kiosk-a101", "").Build()));
        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, await TestKiosk.TryConnectAsync(TestKiosk.Options(edge.MqttPort, "kiosk-a101", secret).WithClientId("kiosk-a102").Build()));
        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, await TestKiosk.TryConnectAsync(TestKiosk.Options(edge.MqttPort, "Kiosk A101", secret).Build()));
        var old = await TestKiosk.TryConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", edge.MqttPort).WithClientId("kiosk-a101").WithCredentials("kiosk-a101", secret).WithProtocolVersion(MqttProtocolVersion.V311).Build());
        Assert.NotEqual(MqttClientConnectResultCode.Success, old);

        Assert.Equal(1, metric[RefusalReasons.UnknownDevice]);
        Assert.Equal(2, metric[RefusalReasons.WrongSecret]);
        Assert.Equal(2, metric[RefusalReasons.BadIdentity]);
        Assert.Equal(1, metric[RefusalReasons.ProtocolVersion]);
        Assert.Contains(edge.Services.GetRequiredService<KioskRefusals>().Recent, r => r is { KioskId: "kiosk-a101", Reason: RefusalReasons.WrongSecret });

        // The real kiosk still gets in, first time.
        await using var kiosk = await TestKiosk.ConnectAsync(edge.MqttPort, "kiosk-a101", secret, edge.Clock);
    }

    [Fact]
    public async Task A_kiosk_cannot_publish_to_or_subscribe_to_another_kiosks_topics_or_wildcards()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var metric = new RefusedMetric(edge);
        await using var a101 = await KioskInAsync(edge, "A101");
        await using var a102 = await KioskInAsync(edge, "A102");
        var student = PlainStudents(edge)[0];
        var scan = TestKiosk.Json(new ScanRequest(Protocol.Version, "stolen-1", CredentialType.Card, Card(student), edge.Clock.GetUtcNow()), ProtocolJson.Default.ScanRequest);

        var published = await a101.PublishAsync(Topics.Scan("kiosk-a102"), scan, correlation: "stolen-1");
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, published.ReasonCode);
        Assert.Equal(ProtocolErrors.NotYourTopic, (await a101.ReplyTo("stolen-1")).Error);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await a101.PublishAsync(Topics.Command("kiosk-a101"), scan)).ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await a101.PublishAsync("passtrack/v1/anything", scan)).ReasonCode);

        foreach (var topic in new[] { "#", "passtrack/v1/kiosks/+/reply", Topics.Reply("kiosk-a102"), Topics.Scan("kiosk-a101") })
        {
            var subscribed = await a101.Client.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce, TestContext.Current.CancellationToken);
            Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, subscribed.Items.Single().ResultCode);
        }

        Assert.Equal(3, metric[RefusalReasons.NotYourTopic]);
        Assert.Equal(4, metric[RefusalReasons.SubscriptionRefused]);
        Assert.Equal(Outcome.Identified, (await a102.ScanAsync(Card(student))).Outcome);
        Assert.Equal(0L, await ScalarAsync(edge, "SELECT COUNT(*) FROM Scans WHERE ScanId = 'stolen-1'"));
    }

    [Fact]
    public async Task Oversized_malformed_wrong_version_and_unknown_field_messages_are_refused_with_an_error_reply()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var metric = new RefusedMetric(edge);
        await using var kiosk = await KioskInAsync(edge, "A101");
        var student = PlainStudents(edge)[0];
        var valid = Encoding.UTF8.GetString(TestKiosk.Json(new ScanRequest(Protocol.Version, "bad-x", CredentialType.Card, Card(student), edge.Clock.GetUtcNow()), ProtocolJson.Default.ScanRequest));

        var cases = new (string Correlation, string Payload, MqttClientPublishReasonCode Code, string Error)[]
        {
            ("big", $"{{\"pad\":\"{new string('x', 5000)}\"}}", MqttClientPublishReasonCode.QuotaExceeded, ProtocolErrors.TooLarge),
            ("garbage", "{not json", MqttClientPublishReasonCode.PayloadFormatInvalid, ProtocolErrors.Malformed),
            ("empty", "", MqttClientPublishReasonCode.PayloadFormatInvalid, ProtocolErrors.Malformed),
            ("array", "[1,2,3]", MqttClientPublishReasonCode.PayloadFormatInvalid, ProtocolErrors.Malformed),
            ("deep", new string('[', 500) + new string(']', 500), MqttClientPublishReasonCode.PayloadFormatInvalid, ProtocolErrors.Malformed),
            ("unknown-field", valid.Replace("{", "{\"extra\":1,", StringComparison.Ordinal), MqttClientPublishReasonCode.PayloadFormatInvalid, ProtocolErrors.Malformed),
            ("v2", valid.Replace("\"v\":1", "\"v\":2", StringComparison.Ordinal), MqttClientPublishReasonCode.PayloadFormatInvalid, ProtocolErrors.UnsupportedVersion),
            ("v2-newer", valid.Replace("\"v\":1", "\"v\":2,\"newThing\":true", StringComparison.Ordinal), MqttClientPublishReasonCode.PayloadFormatInvalid, ProtocolErrors.UnsupportedVersion),
            ("no-scan-id", valid.Replace("\"scanId\":\"bad-x\",", "", StringComparison.Ordinal), MqttClientPublishReasonCode.PayloadFormatInvalid, ProtocolErrors.Malformed),
            ("bad-kind", valid.Replace("\"Card\"", "\"Retina\"", StringComparison.Ordinal), MqttClientPublishReasonCode.PayloadFormatInvalid, ProtocolErrors.Malformed),
            ("numeric-kind", valid.Replace("\"Card\"", "7", StringComparison.Ordinal), MqttClientPublishReasonCode.PayloadFormatInvalid, ProtocolErrors.Malformed),
        };
        foreach (var (correlation, payload, code, error) in cases)
        {
            var result = await kiosk.PublishAsync(Topics.Scan(kiosk.Id), Encoding.UTF8.GetBytes(payload), correlation);
            Assert.True(code == result.ReasonCode, $"{correlation}: {result.ReasonCode}");
            var reply = await kiosk.ReplyTo(correlation);
            Assert.True(error == reply.Error, $"{correlation}: {reply.Error}");
            Assert.Equal(Outcome.Refused, reply.Outcome);
        }

        Assert.Equal(1, metric[RefusalReasons.TooLarge]);
        Assert.Equal(8, metric[RefusalReasons.Malformed]);
        Assert.Equal(2, metric[RefusalReasons.UnsupportedVersion]);
        Assert.Equal(0L, await ScalarAsync(edge, "SELECT COUNT(*) FROM Scans"));
        Assert.Equal(Outcome.Identified, (await kiosk.ScanAsync(Card(student))).Outcome);
    }

    [Fact]
    public async Task A_packet_far_over_the_cap_closes_only_that_connection_before_it_is_read()
    {
        using var edge = await new EdgeHost().StartedAsync();
        await using var bystander = await KioskInAsync(edge, "A102");
        await using var kiosk = await KioskInAsync(edge, "A101");
        var refused = RefusalAsync(edge, RefusalReasons.PacketTooLarge);

        // 64 MB announced: MQTTnet would allocate it; the guard drops the connection at the header.
        var huge = new MqttApplicationMessageBuilder().WithTopic(Topics.Scan(kiosk.Id)).WithPayload(new byte[64 * 1024 * 1024]).Build();
        var sending = kiosk.Client.PublishAsync(huge, TestContext.Current.CancellationToken);

        await refused;
        await kiosk.Disconnected.Task.WaitAsync(TestKiosk.Timeout, TestContext.Current.CancellationToken);
        await Assert.ThrowsAnyAsync<Exception>(() => sending);
        Assert.Equal(Outcome.Identified, (await bystander.ScanAsync(Card(PlainStudents(edge)[0]))).Outcome);

        // Nor can anyone announce one before logging in.
        using var raw = new TcpClient();
        await raw.ConnectAsync("127.0.0.1", edge.MqttPort, TestContext.Current.CancellationToken);
        var stream = raw.GetStream();
        var next = RefusalAsync(edge, RefusalReasons.PacketTooLarge);
        await stream.WriteAsync(new byte[] { 0x10, 0xFF, 0xFF, 0xFF, 0x7F }, TestContext.Current.CancellationToken);
        await next;
        Assert.Equal(0, await stream.ReadAsync(new byte[16], TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_flooding_kiosk_is_throttled_without_slowing_the_others_or_losing_anything_stored()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var metric = new RefusedMetric(edge);
        await using var flooder = await KioskInAsync(edge, "A101");
        await using var neighbour = await KioskInAsync(edge, "A102");
        var students = PlainStudents(edge);
        var before = await neighbour.ScanAsync(Card(students[1]), scanId: "kept-1");
        var granted = await neighbour.ChooseAsync("kept-1", "locker", scanId: "kept-2");
        Assert.Equal(Outcome.Granted, granted.Outcome);
        var events = await ScalarAsync(edge, "SELECT COUNT(*) FROM Events");

        var telemetry = TestKiosk.Json(new TelemetryMessage(Protocol.Version, 1, 0, "test-1.0", ReaderHealth.Ok, edge.Clock.GetUtcNow()), ProtocolJson.Default.TelemetryMessage);
        var flood = Enumerable.Range(0, 200).Select(_ => flooder.PublishAsync(Topics.Telemetry(flooder.Id), telemetry)).ToList();
        var during = await neighbour.ScanAsync(Card(students[2]));
        var results = await Task.WhenAll(flood);

        Assert.Equal(Outcome.Identified, during.Outcome);
        var throttled = results.Count(r => r.ReasonCode == MqttClientPublishReasonCode.QuotaExceeded);
        Assert.InRange(throttled, 200 - 20, 200);
        Assert.Equal(throttled, metric[RefusalReasons.RateLimited]);
        Assert.True(flooder.Client.IsConnected);

        // What the store held before the flood is all still there and still answers.
        Assert.True(await ScalarAsync(edge, "SELECT COUNT(*) FROM Events") >= events);
        Assert.Equivalent(before, await neighbour.ScanAsync(Card(students[1]), scanId: "kept-1"));
        Assert.Equivalent(granted, await neighbour.ChooseAsync("kept-1", "locker", scanId: "kept-2"));

        // A second later (on the edge's clock) the flooder may talk again.
        edge.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(Outcome.Identified, (await flooder.ScanAsync(Card(students[3]))).Outcome);
    }

    internal static async Task<long> ScalarAsync(EdgeHost edge, string sql)
    {
        await using var db = new SqliteConnection($"Data Source={edge.DataPath}");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
