using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PassTrack.Edge.Kiosks;
using PassTrack.Edge.Tests;
using PassTrack.Kiosk.Link;
using PassTrack.Rules.Demo;
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

    public static async Task<string> ProvisionAsync(EdgeHost edge, string kioskId, string room)
    {
        var secret = $"secret-of-{kioskId}-0123456789";
        var provisioned = await edge.Services.GetRequiredService<KioskRegistry>().ProvisionAsync(kioskId, secret, room, DemoSchool.Principal);
        Assert.Equal(KioskChangeResult.Done, provisioned.Change.Result);
        return secret;
    }

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

    public static Student PlainStudent(EdgeHost edge, int index = 0)
    {
        var configuration = edge.Writer.StartingConfiguration;
        var grouped = configuration.EncounterGroups.SelectMany(g => g.Members).ToHashSet();
        return configuration.Students.Where(s => s.Enrolled
            && s.Profile.Accommodations.Plan is null
            && s.Profile.DesignatedRestrooms.Count == 0
            && s.Profile.RestrictedDestinations.Count == 0
            && !grouped.Contains(s.Id)).ElementAt(index);
    }

    public static string Card(Student student) => student.Credentials.First(c => c.Kind == CredentialKind.Card).Value;

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
}
