using Microsoft.Data.Sqlite;
using PassTrack.Contracts.Passes;
using PassTrack.Contracts.Protocol;
using PassTrack.Edge.Tests;
using PassTrack.Kiosk.Link;
using static PassTrack.Kiosk.Tests.Link.LinkTestSupport;

namespace PassTrack.Kiosk.Tests.Link;

public sealed class EdgeLinkTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("passtrack-kiosk-link-").FullName;

    private string OutboxPath => Path.Combine(_folder, "outbox.db");

    [Fact]
    public async Task A_scan_goes_through_the_outbox_to_the_edge_and_leaves_it_once_answered()
    {
        using var edge = await new EdgeHost().StartedAsync();
        var secret = await ProvisionAsync(edge, "kiosk-a101", "A101");
        using var outbox = new ScanOutbox(OutboxPath);
        await using var link = LinkTestSupport.NewLink(Options(edge.MqttPort, "kiosk-a101", secret), outbox, new SyncedClock(edge.Clock.GetUtcNow));
        var connected = Connected(link);
        await link.StartAsync();
        await connected;
        var student = PlainStudent(edge);

        var scan = link.Enqueue(CredentialType.Card, Card(student), edge.Clock.GetUtcNow());
        Assert.Equal(1, outbox.Count);
        var reply = await link.AnswerAsync(scan.ScanId, Patience, TestContext.Current.CancellationToken);

        Assert.NotNull(reply);
        Assert.Equal(Outcome.Identified, reply.Outcome);
        Assert.Equal(student.FirstName, reply.FirstName);
        var choice = link.EnqueueChoice(scan.ScanId, "water-a", edge.Clock.GetUtcNow());
        var granted = await link.AnswerAsync(choice.ScanId, Patience, TestContext.Current.CancellationToken);
        Assert.Equal(Outcome.Granted, granted!.Outcome);
        await Drained(link, outbox);
    }

    [Fact]
    public async Task A_staff_badge_and_its_lockdown_go_through_the_outbox_and_the_lockdown_comes_back_as_a_command()
    {
        var ct = TestContext.Current.CancellationToken;
        using var edge = await new EdgeHost().StartedAsync();
        var secret = await ProvisionAsync(edge, "kiosk-a101", "A101");
        using var outbox = new ScanOutbox(OutboxPath);
        await using var link = LinkTestSupport.NewLink(Options(edge.MqttPort, "kiosk-a101", secret), outbox, new SyncedClock(edge.Clock.GetUtcNow));
        var lockdown = new TaskCompletionSource<KioskCommand>(TaskCreationOptions.RunContinuationsAsynchronously);
        link.CommandReceived += c =>
        {
            if (c.Type == CommandType.Lockdown)
            {
                lockdown.TrySetResult(c);
            }
        };
        var connected = Connected(link);
        await link.StartAsync();
        await connected;

        var badge = await link.AnswerAsync(link.Enqueue(CredentialType.Card, Rules.Demo.DemoSchool.PrincipalCard, edge.Clock.GetUtcNow()).ScanId, Patience, ct);
        Assert.Equal(Outcome.StaffIdentified, badge!.Outcome);
        Assert.Contains(StaffAction.Lockdown, badge.StaffActions!);
        var action = link.EnqueueStaffAction(badge.ScanId, StaffAction.Lockdown, null, null, edge.Clock.GetUtcNow());
        var done = await link.AnswerAsync(action.ScanId, Patience, ct);

        Assert.Equal(Outcome.Accepted, done!.Outcome);
        await lockdown.Task.WaitAsync(Patience, ct);
        await Drained(link, outbox);
    }

    [Fact]
    public async Task Taps_taken_while_the_edge_is_down_are_replayed_in_order_with_their_own_times_when_it_returns()
    {
        var ct = TestContext.Current.CancellationToken;
        var port = EdgeHost.FreePort();
        var data = Path.Combine(_folder, "edge.db");
        void Store(Dictionary<string, string?> s)
        {
            s["Edge:DataPath"] = data;
            s["Edge:Mqtt:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var edge = await new EdgeHost(configure: Store).StartedAsync();
        var clock = edge.Clock;
        var secret = await ProvisionAsync(edge, "kiosk-a101", "A101");
        var first = PlainStudent(edge, 0);
        var second = PlainStudent(edge, 1);
        using var outbox = new ScanOutbox(OutboxPath);
        await using var link = LinkTestSupport.NewLink(Options(port, "kiosk-a101", secret), outbox, new SyncedClock(() => clock.GetUtcNow()));
        var connected = Connected(link);
        await link.StartAsync();
        await connected;
        var tap = await link.AnswerAsync(link.Enqueue(CredentialType.Card, Card(first), clock.GetUtcNow()).ScanId, Patience, ct);
        var pass = await link.AnswerAsync(link.EnqueueChoice(tap!.ScanId, "water-a", clock.GetUtcNow()).ScanId, Patience, ct);
        Assert.Equal(Outcome.Granted, pass!.Outcome);
        var leftAt = clock.GetUtcNow();

        // The edge goes away (its broker with it). The student comes back 3 minutes later; another student taps.
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        link.ConnectionChanged += online =>
        {
            if (!online)
            {
                lost.TrySetResult();
            }
        };
        edge.Dispose();
        await lost.Task.WaitAsync(Patience, ct);
        clock.Advance(TimeSpan.FromMinutes(3));
        var back = link.Enqueue(CredentialType.Card, Card(first), clock.GetUtcNow());
        var backAnswer = link.AnswerAsync(back.ScanId, Patience, ct);
        clock.Advance(TimeSpan.FromSeconds(10));
        var other = link.Enqueue(CredentialType.Card, Card(second), clock.GetUtcNow());
        var otherAnswer = link.AnswerAsync(other.ScanId, Patience, ct);
        Assert.Null(await link.AnswerAsync(back.ScanId, TimeSpan.FromMilliseconds(300), ct));
        Assert.Equal([back.ScanId, other.ScanId], outbox.Pending().Select(p => p.ScanId));

        // Ten minutes on, the edge is back on the same store and port.
        using var again = await new EdgeHost(now: clock.GetUtcNow().AddMinutes(10), configure: Store).StartedAsync();
        clock = again.Clock;
        var returned = await backAnswer;
        var identified = await otherAnswer;

        Assert.Equal(Outcome.Returned, returned!.Outcome);
        Assert.Equal(180, returned.WaitSeconds);
        Assert.Equal(Outcome.Identified, identified!.Outcome);
        await Drained(link, outbox);
        Assert.True(outbox.IntegrityOk());
        Assert.True(leftAt < clock.GetUtcNow());
    }

    [Fact]
    public async Task The_outbox_keeps_what_was_added_across_a_reopen_and_never_reuses_a_scan_id()
    {
        var at = new DateTimeOffset(2026, 12, 1, 15, 0, 0, TimeSpan.Zero);
        string[] ids;
        using (var outbox = new ScanOutbox(OutboxPath))
        {
            ids = [.. Enumerable.Range(0, 3).Select(i => outbox.Add(RequestKind.Scan, at.AddSeconds(i), id => [(byte)i]).ScanId)];
            Assert.True(outbox.Remove(ids[1]));
        }
        SqliteConnection.ClearAllPools();
        using (var reopened = new ScanOutbox(OutboxPath))
        {
            Assert.Equal([ids[0], ids[2]], reopened.Pending().Select(p => p.ScanId));
            Assert.Equal(at.AddSeconds(2), reopened.Pending()[1].MadeAt);
            var next = reopened.Add(RequestKind.Scan, at, _ => [9]).ScanId;
            Assert.DoesNotContain(next, ids);
        }

        // A fresh file (a new SD card) numbers under a new prefix, so it cannot collide with what the edge has seen.
        using var fresh = new ScanOutbox(Path.Combine(_folder, "fresh.db"));
        var freshId = fresh.Add(RequestKind.Scan, at, _ => [1]).ScanId;
        Assert.NotEqual(ids[0].Split('-')[0], freshId.Split('-')[0]);
    }

    [Fact]
    public async Task A_choice_the_student_gave_up_on_is_withdrawn_and_never_sent_later()
    {
        var ct = TestContext.Current.CancellationToken;
        var at = new DateTimeOffset(2026, 12, 1, 15, 5, 0, TimeSpan.Zero);
        using var outbox = new ScanOutbox(OutboxPath);
        // No edge at all: the link keeps trying.
        await using var link = LinkTestSupport.NewLink(Options(EdgeHost.FreePort(), "kiosk-a101", "secret-of-kiosk-a101-0123456789"), outbox, new SyncedClock(() => at));
        await link.StartAsync();

        var tap = link.Enqueue(CredentialType.Card, "04A23B1C", at);
        var choice = link.EnqueueChoice(tap.ScanId, "water-a", at);
        Assert.Null(await link.AnswerAsync(choice.ScanId, TimeSpan.FromMilliseconds(200), ct));
        link.Withdraw(choice.ScanId);

        Assert.Equal([tap.ScanId], outbox.Pending().Select(p => p.ScanId));
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
