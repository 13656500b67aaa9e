using Microsoft.Extensions.Logging.Abstractions;
using PassTrack.Edge.Tests;
using PassTrack.Edge.Tests.Kiosks;
using PassTrack.Kiosk.Link;
using PassTrack.Rules.Students;

namespace PassTrack.Kiosk.Tests.Link;

/// <summary>
/// A kiosk's clock kept in step with its edge (as <c>TimeSync</c> keeps a real one): the edge's fake time for what
/// the kiosk stamps on its scans, real timers for its waits and retries.
/// </summary>
internal sealed class SyncedClock(Func<DateTimeOffset> edgeNow) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => edgeNow();
}

internal static class LinkTestSupport
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static Task<string> ProvisionAsync(EdgeHost edge, string kioskId, string room) => KioskTestSupport.ProvisionAsync(edge, kioskId, room);

    public static LinkOptions Options(int port, string kioskId, string secret) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        KioskId = kioskId,
        Secret = secret,
        Firmware = "test",
        MinReconnectDelay = TimeSpan.FromMilliseconds(50),
        MaxReconnectDelay = TimeSpan.FromMilliseconds(400),
        ConnectionCheckInterval = TimeSpan.FromMilliseconds(100),
        ReplyTimeout = TimeSpan.FromSeconds(5),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    };

    public static EdgeLink NewLink(LinkOptions options, ScanOutbox outbox, TimeProvider clock) =>
        new(options, outbox, clock, NullLogger<EdgeLink>.Instance);

    public static Student PlainStudent(EdgeHost edge, int index = 0) => KioskTestSupport.PlainStudents(edge)[index];

    public static string Card(Student student) => KioskTestSupport.Card(student);

    /// <summary>Completes when the link reports it is up.</summary>
    public static Task Connected(EdgeLink link)
    {
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        link.ConnectionChanged += online =>
        {
            if (online)
            {
                up.TrySetResult();
            }
        };
        return link.IsConnected ? Task.CompletedTask : up.Task.WaitAsync(Patience);
    }

    /// <summary>Completes when every request in the outbox has been answered by the edge and has left it.</summary>
    public static Task Drained(EdgeLink link, ScanOutbox outbox)
    {
        var empty = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        link.Delivered += _ =>
        {
            if (outbox.Count == 0)
            {
                empty.TrySetResult();
            }
        };
        return outbox.Count == 0 ? Task.CompletedTask : empty.Task.WaitAsync(Patience);
    }
}
