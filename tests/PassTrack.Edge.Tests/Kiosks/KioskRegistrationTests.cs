using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using PassTrack.Contracts.Passes;
using PassTrack.Contracts.Protocol;
using PassTrack.Edge.Kiosks;
using PassTrack.Edge.Security;
using PassTrack.Edge.Store;
using PassTrack.Rules.Demo;
using static PassTrack.Edge.Tests.Kiosks.KioskTestSupport;

namespace PassTrack.Edge.Tests.Kiosks;

/// <summary>Enrolment, approval, revocation, and what kiosks report about themselves.</summary>
public class KioskRegistrationTests
{
    private static EdgeHost EnrollingEdge() =>
        new(configure: s => s["Edge:Mqtt:EnrollmentTokenHash"] = SecretHasher.Hash(EnrollmentToken));

    [Fact]
    public async Task A_new_kiosk_with_the_enrolment_token_waits_as_pending_until_approved_then_gets_its_configuration()
    {
        using var edge = await EnrollingEdge().StartedAsync();
        const string id = "kiosk-new-1";
        const string secret = "a-long-device-chosen-secret-1";
        await using var kiosk = await TestKiosk.ConnectAsync(edge.MqttPort, id, secret, edge.Clock, o => o.WithUserProperty(Protocol.EnrollmentTokenProperty, Encoding.UTF8.GetBytes(EnrollmentToken).AsMemory()));

        await kiosk.CommandAsync(CommandType.Unapproved);
        var registry = edge.Services.GetRequiredService<KioskRegistry>();
        Assert.Equal(DeviceStatus.Pending, (await registry.FindAsync(id, TestContext.Current.CancellationToken))!.Status);
        var student = PlainStudents(edge)[0];
        Assert.Equal(ReasonCode.KioskNotBound, (await kiosk.ScanAsync(Card(student))).Reason);

        var approved = await registry.ApproveAsync(id, "A101", DemoSchool.Principal, TestContext.Current.CancellationToken);
        Assert.Equal(KioskChangeResult.Done, approved.Result);

        var configure = await kiosk.CommandAsync(CommandType.Configure);
        Assert.Equal("A101", configure.Configuration!.RoomId);
        Assert.Equal(Outcome.Identified, (await kiosk.ScanAsync(Card(student))).Outcome);

        // Its secret is its own: the token alone does not let anyone else in under its name.
        var impostor = TestKiosk.Options(edge.MqttPort, id, "someone-elses-secret-123").WithUserProperty(Protocol.EnrollmentTokenProperty, Encoding.UTF8.GetBytes(EnrollmentToken).AsMemory()).Build();
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await TestKiosk.TryConnectAsync(impostor));
        await using var db = Db(edge);
        Assert.Contains(await db.KioskStatusHistory.Where(h => h.KioskId == id).Select(h => h.State).ToListAsync(TestContext.Current.CancellationToken), s => s == "Pending");
    }

    [Fact]
    public async Task An_unknown_device_with_a_wrong_enrolment_token_is_refused_and_not_recorded()
    {
        using var edge = await EnrollingEdge().StartedAsync();
        var refused = RefusalAsync(edge, RefusalReasons.EnrollmentRefused);
        var options = TestKiosk.Options(edge.MqttPort, "kiosk-new-2", "a-long-device-chosen-secret-2")
            .WithUserProperty(Protocol.EnrollmentTokenProperty, Encoding.UTF8.GetBytes("guessed-token").AsMemory()).Build();

        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await TestKiosk.TryConnectAsync(options));

        await refused;
        Assert.Null(await edge.Services.GetRequiredService<KioskRegistry>().FindAsync("kiosk-new-2", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_revoked_kiosk_is_disconnected_and_cannot_come_back()
    {
        using var edge = await new EdgeHost().StartedAsync();
        var secret = await ProvisionAsync(edge, "kiosk-a101", "A101");
        await using var kiosk = await TestKiosk.ConnectAsync(edge.MqttPort, "kiosk-a101", secret, edge.Clock);
        await kiosk.CommandAsync(CommandType.Configure);

        await edge.Services.GetRequiredService<KioskRegistry>().RevokeAsync("kiosk-a101", DemoSchool.Principal, TestContext.Current.CancellationToken);

        await kiosk.Disconnected.Task.WaitAsync(TestKiosk.Timeout, TestContext.Current.CancellationToken);
        Assert.Equal(MqttClientConnectResultCode.Banned, await TestKiosk.TryConnectAsync(TestKiosk.Options(edge.MqttPort, "kiosk-a101", secret).Build()));
    }

    [Fact]
    public async Task Status_and_telemetry_are_recorded_with_history_of_changes()
    {
        using var edge = await new EdgeHost().StartedAsync();
        var presence = edge.Services.GetRequiredService<KioskPresence>();
        var secret = await ProvisionAsync(edge, "kiosk-a101", "A101");
        var online = Saved(presence, "kiosk-a101");
        Task offline;
        await using (var kiosk = await TestKiosk.ConnectAsync(edge.MqttPort, "kiosk-a101", secret, edge.Clock))
        {
            await online;
            Assert.True(presence.IsOnline("kiosk-a101"));
            await kiosk.PublishAsync(Topics.Telemetry("kiosk-a101"), TestKiosk.Json(new TelemetryMessage(Protocol.Version, 3600, 4, "test-1.0", ReaderHealth.Degraded, edge.Clock.GetUtcNow()), ProtocolJson.Default.TelemetryMessage));
            await presence.FlushAsync();
            await using var db = Db(edge);
            var device = await db.KioskDevices.SingleAsync(d => d.Id == "kiosk-a101", TestContext.Current.CancellationToken);
            Assert.True(device.Online);
            Assert.Equal("test-1.0", device.Firmware);
            Assert.Equal(4, device.QueuedScans);
            Assert.Equal("Degraded", device.ReaderHealth);
            Assert.Equal(3600, device.UptimeSeconds);
            offline = Saved(presence, "kiosk-a101");
        }

        // Its connection ends: the edge records it going.
        await offline;
        Assert.False(presence.IsOnline("kiosk-a101"));
        await using var after = Db(edge);
        Assert.False((await after.KioskDevices.SingleAsync(d => d.Id == "kiosk-a101", TestContext.Current.CancellationToken)).Online);
        var states = await after.KioskStatusHistory.Where(h => h.KioskId == "kiosk-a101").OrderBy(h => h.Id).Select(h => h.State).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["Online", "Offline"], states.Where(s => s is "Online" or "Offline").TakeLast(2));
    }

    [Fact]
    public async Task A_kiosk_restarted_into_a_new_version_keeps_it_though_telemetry_from_the_old_one_was_still_buffered()
    {
        using var edge = await new EdgeHost().StartedAsync();
        var presence = edge.Services.GetRequiredService<KioskPresence>();
        await ProvisionAsync(edge, "kiosk-a101", "A101");

        // The old version's last heartbeat waits for the next telemetry write; then the kiosk reconnects as 0.5.0.
        presence.TelemetryReported("kiosk-a101", new TelemetryMessage(Protocol.Version, 3600, 0, "0.4.0", ReaderHealth.Ok, edge.Clock.GetUtcNow()));
        var saved = Saved(presence, "kiosk-a101");
        presence.Connected("kiosk-a101", "0.5.0", "127.0.0.1:5000");
        await saved;
        await presence.FlushAsync();

        await using var db = Db(edge);
        var device = await db.KioskDevices.SingleAsync(d => d.Id == "kiosk-a101", TestContext.Current.CancellationToken);
        Assert.Equal("0.5.0", device.Firmware);
        Assert.Equal(3600, device.UptimeSeconds);
    }

    private static EdgeDb Db(EdgeHost edge) => edge.Services.CreateScope().ServiceProvider.GetRequiredService<EdgeDb>();

    private static Task Saved(KioskPresence presence, string kioskId)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSaved(IReadOnlyCollection<string> ids)
        {
            if (ids.Contains(kioskId))
            {
                presence.Saved -= OnSaved;
                done.TrySetResult();
            }
        }
        presence.Saved += OnSaved;
        return done.Task.WaitAsync(TestKiosk.Timeout);
    }
}
