using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using PassTrack.Contracts.Protocol;
using PassTrack.Edge.Events;
using PassTrack.Edge.Passes;
using PassTrack.Rules;
using PassTrack.Rules.Configuration;
using PassTrack.Rules.Emergencies;
using PassTrack.Rules.Summons;

namespace PassTrack.Edge.Kiosks;

/// <summary>
/// Edge to kiosk: configuration (retained, so a restarted kiosk has it), emergency banners, summons alerts, time. It
/// follows the building's committed events (resuming from the store if it ever falls behind the live feed), the
/// registry's changes (approve, bind, revoke) and kiosks coming online, and works through them one at a time.
/// </summary>
public sealed partial class KioskCommander(
    BuildingWriter writer,
    EventFeed feed,
    KioskRegistry registry,
    KioskPresence presence,
    KioskProtocol protocol,
    Updates.UpdateRollouts updates,
    IServiceProvider services,
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<KioskOptions> options,
    ILogger<KioskCommander> logger) : BackgroundService
{
    private readonly Channel<Work> _work = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, string> _lastConfiguration = new(StringComparer.Ordinal);
    private IKioskTransport _transport = null!;

    /// <summary>A kiosk connected (or subscribed to its commands): send it everything it should be showing.</summary>
    public void KioskOnline(string kioskId) => _work.Writer.TryWrite(new Work.Announce(kioskId));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Resolved here, not injected: the embedded broker is the transport and also calls KioskOnline.
        _transport = services.GetRequiredService<IKioskTransport>();
        await writer.Ready.WaitAsync(stoppingToken);
        await _transport.Ready.WaitAsync(stoppingToken);
        registry.Changed += OnRegistryChanged;
        protocol.Announced += KioskOnline;
        updates.Offered += OnUpdatesOffered;
        try
        {
            await Task.WhenAll(FollowEventsAsync(stoppingToken), TimeSyncAsync(stoppingToken), WorkAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            registry.Changed -= OnRegistryChanged;
            protocol.Announced -= KioskOnline;
            updates.Offered -= OnUpdatesOffered;
        }
    }

    private Task OnRegistryChanged(string kioskId)
    {
        _work.Writer.TryWrite(new Work.Registration(kioskId));
        return Task.CompletedTask;
    }

    private void OnUpdatesOffered(IReadOnlyList<string> kioskIds)
    {
        foreach (var kioskId in kioskIds)
        {
            _work.Writer.TryWrite(new Work.Offer(kioskId));
        }
    }

    private async Task TimeSyncAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.TimeSyncInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            _work.Writer.TryWrite(new Work.TimeSync());
        }
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Work>();
        while (await _work.Reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < 1024 && _work.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }
            try
            {
                await RunAsync(batch, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One failed push (a broker hiccup) must not end kiosk commands for the day.
                CommandsFailed(logger, ex, batch.Count);
            }
            batch.Clear();
        }
    }

    /// <summary>One read of the building serves the whole batch; configuration pushes are merged.</summary>
    private async Task RunAsync(List<Work> batch, CancellationToken cancellationToken)
    {
        var building = await writer.ReadAsync(BuildingSnapshot.Of, cancellationToken);
        var devices = (await registry.ListAsync(cancellationToken)).ToDictionary(k => k.Id, k => k.Status, StringComparer.Ordinal);
        var configure = new HashSet<string>(StringComparer.Ordinal);
        var everyone = false;
        foreach (var item in batch)
        {
            switch (item)
            {
                case Work.Announce a:
                    await AnnounceAsync(building, devices, a.KioskId, cancellationToken);
                    break;
                case Work.Registration r:
                    await RegistrationAsync(building, devices, r.KioskId, cancellationToken);
                    break;
                case Work.Offer o when presence.IsOnline(o.KioskId):
                    await OfferAsync(o.KioskId, cancellationToken);
                    break;
                case Work.TimeSync:
                    await SendAsync(presence.Online, new KioskCommand(Protocol.Version, CommandType.TimeSync, time.GetUtcNow()), cancellationToken);
                    break;
                case Work.Event { Value: DestinationSaved or SectionSaved }:
                    everyone = true;
                    break;
                case Work.Event { Value: RoomSaved room }:
                    configure.UnionWith(building.KiosksIn(room.Room.Id));
                    break;
                case Work.Event { Value: KioskSaved kiosk }:
                    configure.Add(kiosk.Kiosk.Id.Value);
                    break;
                case Work.Event { Value: EmergencyStarted started }:
                    await SendAsync(Everyone(building), Banner(started.Kind), cancellationToken);
                    break;
                case Work.Event { Value: EmergencyCleared }:
                    await SendAsync(Everyone(building), new KioskCommand(Protocol.Version, CommandType.Clear, time.GetUtcNow()), cancellationToken);
                    break;
                case Work.Event { Value: StudentSummoned summoned } when Find(building, summoned.Summons) is { DeliverTo: { } room } summons:
                    await SendAsync(building.KiosksIn(room), new KioskCommand(Protocol.Version, CommandType.Summons, time.GetUtcNow()) { Summons = summons.Alert }, cancellationToken);
                    break;
                case Work.Event { Value: SummonsClosed closed } when Find(building, closed.Summons) is { DeliverTo: { } room }:
                    await SendAsync(building.KiosksIn(room), new KioskCommand(Protocol.Version, CommandType.SummonsClosed, time.GetUtcNow()) { SummonsId = closed.Summons.ToString() }, cancellationToken);
                    break;
            }
        }
        foreach (var kioskId in everyone ? Everyone(building) : configure)
        {
            await ConfigureAsync(building, devices, kioskId, force: false, cancellationToken);
        }
    }

    /// <summary>Everything a kiosk that just came online should show: configuration, time, a banner in force, summons.</summary>
    private async Task AnnounceAsync(BuildingSnapshot building, Dictionary<string, DeviceStatus> devices, string kioskId, CancellationToken cancellationToken)
    {
        if (!await ConfigureAsync(building, devices, kioskId, force: true, cancellationToken))
        {
            return;
        }
        var now = time.GetUtcNow();
        await SendAsync([kioskId], new KioskCommand(Protocol.Version, CommandType.TimeSync, now), cancellationToken);
        if (building.Emergency is { } emergency)
        {
            await SendAsync([kioskId], Banner(emergency), cancellationToken);
        }
        var room = building.Kiosks[new KioskId(kioskId)].Room;
        foreach (var summons in building.Summons.Where(s => s.State == SummonsState.Pending && s.DeliverTo == room))
        {
            await SendAsync([kioskId], new KioskCommand(Protocol.Version, CommandType.Summons, now) { Summons = summons.Alert }, cancellationToken);
        }
        await OfferAsync(kioskId, cancellationToken);
    }

    /// <summary>An update still waiting for this kiosk's answer, with a fresh download token (an offline kiosk gets it when it is back).</summary>
    private async Task OfferAsync(string kioskId, CancellationToken cancellationToken)
    {
        if (await updates.OfferForAsync(kioskId, cancellationToken) is { } offer)
        {
            await SendAsync([kioskId], new KioskCommand(Protocol.Version, CommandType.Update, time.GetUtcNow()) { Update = offer }, cancellationToken);
        }
    }

    /// <summary>Approved, bound, moved, revoked: a new configuration or the setup screen; a revoked kiosk is cut off.</summary>
    private async Task RegistrationAsync(BuildingSnapshot building, Dictionary<string, DeviceStatus> devices, string kioskId, CancellationToken cancellationToken)
    {
        await ConfigureAsync(building, devices, kioskId, force: false, cancellationToken);
        if (devices.TryGetValue(kioskId, out var status) && status == DeviceStatus.Revoked)
        {
            await _transport.DisconnectAsync(kioskId, cancellationToken);
            KioskRevoked(logger, kioskId);
        }
    }

    /// <summary>
    /// Sends (retained) the kiosk's configuration, or "unapproved" when it is pending, revoked or unbound. Unless
    /// <paramref name="force"/>d, an unchanged configuration is not sent again. True when the kiosk is in service.
    /// </summary>
    private async Task<bool> ConfigureAsync(BuildingSnapshot building, Dictionary<string, DeviceStatus> devices, string kioskId, bool force, CancellationToken cancellationToken)
    {
        // The registry says who may connect; the building says where a kiosk hangs. A kiosk the registry does not
        // know (behind an external broker, whose own password file admits it) follows the building alone.
        var approved = !devices.TryGetValue(kioskId, out var status) || status == DeviceStatus.Approved;
        var configuration = approved ? KioskMenu.For(building, kioskId) : null;
        var key = configuration is null ? "unapproved" : JsonSerializer.Serialize(configuration, ProtocolJson.Default.KioskConfiguration);
        if (!force && _lastConfiguration.TryGetValue(kioskId, out var last) && string.Equals(last, key, StringComparison.Ordinal))
        {
            return configuration is not null;
        }
        _lastConfiguration[kioskId] = key;
        var command = configuration is null
            ? new KioskCommand(Protocol.Version, CommandType.Unapproved, time.GetUtcNow())
            : new KioskCommand(Protocol.Version, CommandType.Configure, time.GetUtcNow()) { Configuration = configuration };
        await SendAsync([kioskId], command, cancellationToken, retain: true);
        return configuration is not null;
    }

    private async Task SendAsync(IEnumerable<string> kiosks, KioskCommand command, CancellationToken cancellationToken, bool retain = false)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(command, ProtocolJson.Default.KioskCommand);
        foreach (var kioskId in kiosks)
        {
            await _transport.PublishAsync(KioskTopics.Command(kioskId, payload, retain), cancellationToken);
        }
    }

    private KioskCommand Banner(EmergencyKind kind) =>
        new(Protocol.Version, kind == EmergencyKind.FireDrill ? CommandType.FireDrill : CommandType.Lockdown, time.GetUtcNow());

    /// <summary>Every kiosk in service, and any other connected now (a pending one still shows the banner).</summary>
    private HashSet<string> Everyone(BuildingSnapshot building) =>
        new(building.KiosksInService.Concat(presence.Online), StringComparer.Ordinal);

    private static SummonsView? Find(BuildingSnapshot building, SummonsId id) => building.Summons.FirstOrDefault(s => s.Id == id);

    [LoggerMessage(140, LogLevel.Warning, "Kiosk {Kiosk} was revoked and disconnected")]
    private static partial void KioskRevoked(ILogger logger, string kiosk);

    [LoggerMessage(141, LogLevel.Error, "Sending {Count} kiosk commands failed")]
    private static partial void CommandsFailed(ILogger logger, Exception exception, int count);

    private abstract record Work
    {
        public sealed record Announce(string KioskId) : Work;

        public sealed record Registration(string KioskId) : Work;

        public sealed record TimeSync : Work;

        public sealed record Offer(string KioskId) : Work;

        public sealed record Event(BuildingEvent Value) : Work;
    }
}
