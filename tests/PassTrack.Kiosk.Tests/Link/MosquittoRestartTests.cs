using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using PassTrack.Contracts.Passes;
using PassTrack.Contracts.Protocol;
using PassTrack.Edge.Kiosks;
using PassTrack.Edge.Tests;
using PassTrack.Edge.Tests.Broker;
using PassTrack.Kiosk.Link;
using static PassTrack.Kiosk.Tests.Link.LinkTestSupport;

namespace PassTrack.Kiosk.Tests.Link;

/// <summary>The kiosk's link through Mosquitto, the district's external broker, while that broker restarts.</summary>
public sealed class MosquittoRestartTests : IDisposable
{
    private const string Secret = "secret-of-kiosk-a101-0123456789";
    private readonly string _folder = Directory.CreateTempSubdirectory("passtrack-kiosk-mosquitto-").FullName;

    [Fact]
    public async Task A_tap_taken_while_the_broker_restarts_is_delivered_once_it_is_back()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var mosquitto = await MosquittoBroker.StartAsync(new Dictionary<string, string>(StringComparer.Ordinal) { ["kiosk-a101"] = Secret });
        // Real timers for the edge too: it must reconnect to the restarted broker on its own while the test waits.
        var clock = new SchoolTimeClock();
        using var edge = new EdgeHost(clock: clock, configure: s =>
        {
            s["Edge:Mqtt:Mode"] = "External";
            s["Edge:Mqtt:ExternalHost"] = "127.0.0.1";
            s["Edge:Mqtt:ExternalPort"] = mosquitto.Port.ToString(CultureInfo.InvariantCulture);
            s["Edge:Mqtt:ExternalUsername"] = MosquittoBroker.EdgeUser;
            s["Edge:Mqtt:ExternalPassword"] = MosquittoBroker.EdgePassword;
        });
        await edge.StartedAsync();
        await edge.Services.GetRequiredService<IKioskTransport>().Ready.WaitAsync(Patience, ct);
        Assert.Equal(Secret, await ProvisionAsync(edge, "kiosk-a101", "A101"));
        using var outbox = new ScanOutbox(Path.Combine(_folder, "outbox.db"));
        await using var link = NewLink(Options(mosquitto.Port, "kiosk-a101", Secret), outbox, clock);
        var connected = Connected(link);
        await link.StartAsync();
        await connected;
        var first = link.Enqueue(CredentialType.Card, Card(PlainStudent(edge, 0)), clock.GetUtcNow());
        Assert.Equal(Outcome.Identified, (await link.AnswerAsync(first.ScanId, Patience, ct))!.Outcome);

        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        link.ConnectionChanged += online =>
        {
            if (!online)
            {
                lost.TrySetResult();
            }
        };
        await mosquitto.StopAsync();
        await lost.Task.WaitAsync(Patience, ct);
        var during = link.Enqueue(CredentialType.Card, Card(PlainStudent(edge, 1)), clock.GetUtcNow());
        var answer = link.AnswerAsync(during.ScanId, Patience, ct);
        Assert.Equal(1, outbox.Count);

        await mosquitto.RestartAsync();

        var reply = await answer;
        Assert.NotNull(reply);
        Assert.Equal(Outcome.Identified, reply.Outcome);
        Assert.Equal(PlainStudent(edge, 1).FirstName, reply.FirstName);
        await Drained(link, outbox);
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
