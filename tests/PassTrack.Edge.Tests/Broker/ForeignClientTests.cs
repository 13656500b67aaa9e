using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PassTrack.Contracts.Passes;
using PassTrack.Contracts.Protocol;
using PassTrack.Edge.Kiosks;
using PassTrack.Edge.Tests.Kiosks;
using static PassTrack.Edge.Tests.Kiosks.KioskTestSupport;

namespace PassTrack.Edge.Tests.Broker;

/// <summary>
/// Mosquitto's command-line clients as foreign MQTT 5 clients of the embedded broker: the protocol is plain MQTT 5
/// request/response (response topic, correlation data), not something only MQTTnet speaks.
/// </summary>
public class ForeignClientTests
{
    private static string[] Login(EdgeHost edge, string id, string secret) =>
        ["-V", "5", "-h", "127.0.0.1", "-p", edge.MqttPort.ToString(CultureInfo.InvariantCulture), "-i", id, "-u", id, "-P", secret];

    private static string ScanJson(EdgeHost edge, string scanId, string card) =>
        Cli.Text(TestKiosk.Json(new ScanRequest(Protocol.Version, scanId, CredentialType.Card, card, edge.Clock.GetUtcNow()), ProtocolJson.Default.ScanRequest));

    [Fact]
    public async Task A_kiosks_scan_sent_with_mosquitto_rr_is_answered_on_its_reply_topic()
    {
        using var edge = await new EdgeHost().StartedAsync();
        var secret = await ProvisionAsync(edge, "kiosk-a101", "A101");
        var student = PlainStudents(edge)[0];

        var result = await Cli.RunAsync(Cli.Mosquitto("mosquitto_rr"), [
            .. Login(edge, "kiosk-a101", secret), "-q", "1", "-W", "15",
            "-t", Topics.Scan("kiosk-a101"), "-e", Topics.Reply("kiosk-a101"),
            "-D", "publish", "correlation-data", "rr-1",
            "-m", ScanJson(edge, "rr-1", Card(student))]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var reply = JsonSerializer.Deserialize(result.Out, ProtocolJson.Default.DecisionReply)!;
        Assert.Equal(Outcome.Identified, reply.Outcome);
        Assert.Equal("rr-1", reply.ScanId);
        Assert.Equal(student.Id.Value, reply.StudentId);
    }

    [Fact]
    public async Task A_scan_published_with_mosquitto_pub_is_decided_once_and_its_reply_repeated_to_mosquitto_rr()
    {
        using var edge = await new EdgeHost().StartedAsync();
        var secret = await ProvisionAsync(edge, "kiosk-a101", "A101");
        var student = PlainStudents(edge)[0];
        var scan = ScanJson(edge, "pub-1", Card(student));

        var published = await Cli.RunAsync(Cli.Mosquitto("mosquitto_pub"), [
            .. Login(edge, "kiosk-a101", secret), "-q", "1", "-t", Topics.Scan("kiosk-a101"),
            "-D", "publish", "response-topic", Topics.Reply("kiosk-a101"),
            "-D", "publish", "correlation-data", "pub-1", "-m", scan]);
        Assert.True(published.ExitCode == 0, published.ToString());

        // The kiosk heard nothing (mosquitto_pub does not listen) and asks again, as its queue would: same answer.
        var again = await Cli.RunAsync(Cli.Mosquitto("mosquitto_rr"), [
            .. Login(edge, "kiosk-a101", secret), "-q", "1", "-W", "15",
            "-t", Topics.Scan("kiosk-a101"), "-e", Topics.Reply("kiosk-a101"),
            "-D", "publish", "correlation-data", "pub-1", "-m", scan]);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal("pub-1", JsonSerializer.Deserialize(again.Out, ProtocolJson.Default.DecisionReply)!.ScanId);
        Assert.Equal(1L, await HostileKioskTests.ScalarAsync(edge, "SELECT COUNT(*) FROM Scans WHERE KioskId = 'kiosk-a101' AND ScanId = 'pub-1'"));
    }

    [Fact]
    public async Task Mosquitto_sub_as_a_kiosk_gets_its_retained_configuration_but_not_everything()
    {
        using var edge = await new EdgeHost().StartedAsync();
        var secret = await ProvisionAsync(edge, "kiosk-a101", "A101");
        await using (var kiosk = await TestKiosk.ConnectAsync(edge.MqttPort, "kiosk-a101", secret, edge.Clock))
        {
            await kiosk.CommandAsync(CommandType.Configure);
        }

        // The retained configuration, and the time the edge sends to every kiosk that subscribes, in either order.
        var configuration = await Cli.RunAsync(Cli.Mosquitto("mosquitto_sub"), [.. Login(edge, "kiosk-a101", secret), "-q", "1", "-C", "2", "-W", "15", "-t", Topics.Command("kiosk-a101")]);
        Assert.True(configuration.ExitCode == 0, configuration.ToString());
        var commands = configuration.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonSerializer.Deserialize(line, ProtocolJson.Default.KioskCommand)!.Type).ToList();
        Assert.Contains(CommandType.Configure, commands);

        var refused = RefusalAsync(edge, RefusalReasons.SubscriptionRefused, "kiosk-a101");
        var everything = await Cli.RunAsync(Cli.Mosquitto("mosquitto_sub"), [.. Login(edge, "kiosk-a101", secret), "-E", "-t", "#"]);
        Assert.True(everything.Err.Contains("denied", StringComparison.OrdinalIgnoreCase), everything.ToString());
        await refused;
    }

    [Fact]
    public async Task Mosquitto_pub_without_a_kiosks_credentials_is_refused()
    {
        using var edge = await new EdgeHost().StartedAsync();
        var secret = await ProvisionAsync(edge, "kiosk-a101", "A101");
        var port = edge.MqttPort.ToString(CultureInfo.InvariantCulture);

        var anonymous = await Cli.RunAsync(Cli.Mosquitto("mosquitto_pub"), "-V", "5", "-h", "127.0.0.1", "-p", port, "-q", "1", "-t", Topics.Scan("kiosk-a101"), "-m", "{}");
        var guessing = await Cli.RunAsync(Cli.Mosquitto("mosquitto_pub"), [.. Login(edge, "kiosk-a101", "guessed-secret-123"), "-q", "1", "-t", Topics.Scan("kiosk-a101"), "-m", "{}"]);
        var otherTopic = await Cli.RunAsync(Cli.Mosquitto("mosquitto_pub"), [.. Login(edge, "kiosk-a101", secret), "-q", "1", "-t", Topics.Scan("kiosk-a102"), "-m", "{}"]);

        Assert.NotEqual(0, anonymous.ExitCode);
        Assert.NotEqual(0, guessing.ExitCode);
        Assert.Contains("not authorized", otherTopic.Err, StringComparison.OrdinalIgnoreCase);
        var recent = edge.Services.GetRequiredService<KioskRefusals>().Recent;
        Assert.Contains(recent, r => r.Reason == RefusalReasons.BadIdentity);
        Assert.Contains(recent, r => r is { Reason: RefusalReasons.WrongSecret, KioskId: "kiosk-a101" });
        Assert.Contains(recent, r => r is { Reason: RefusalReasons.NotYourTopic, KioskId: "kiosk-a101" });
    }
}
