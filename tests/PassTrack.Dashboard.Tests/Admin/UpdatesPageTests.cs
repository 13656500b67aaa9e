using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MQTTnet;
using MQTTnet.Packets;
using PassTrack.Contracts.Protocol;
using PassTrack.Contracts.Updates;
using PassTrack.Dashboard.Access;
using PassTrack.Edge.Kiosks;
using PassTrack.Edge.Tests.Kiosks;
using PassTrack.Edge.Updates;

namespace PassTrack.Dashboard.Tests.Admin;

/// <summary>
/// The kiosk updates page in Chromium against a real edge holding a signed bundle: rolling out to everyone is refused
/// until a pilot kiosk ran the version healthily, a rollout to the ticked kiosk is recorded by the edge, and once the
/// pilot reports Healthy the rest of the building gets it.
/// </summary>
public sealed class UpdatesPageTests
{
    private const string Version = "2026.12.2";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_version_goes_to_a_ticked_pilot_first_and_to_everyone_else_once_the_pilot_is_healthy()
    {
        var keys = Directory.CreateTempSubdirectory("passtrack-update-key-");
        try
        {
            using var district = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var publicKey = Path.Combine(keys.FullName, "update-key.pem");
            await File.WriteAllTextAsync(publicKey, district.ExportSubjectPublicKeyInfoPem(), Ct);
            await using var linked = await BrowserSite.LinkedAsync("okafor", Roles.Admin, edgeSettings: s => s["Edge:Updates:PublicKeyPath"] = publicKey);
            var (site, edge, _, page) = linked;
            var clock = edge.Services.GetRequiredService<TimeProvider>();
            var rollouts = edge.Services.GetRequiredService<UpdateRollouts>();
            var pilotSecret = await KioskTestSupport.ProvisionAsync(edge, "kiosk-a101", "A101");
            await KioskTestSupport.ProvisionAsync(edge, "kiosk-a102", "A102");
            await UploadAsync(edge.Services.GetRequiredService<UpdateBundles>(), district.ExportPkcs8PrivateKeyPem(), clock);

            await page.GotoAsync(site.Url("/admin/updates"));
            var versions = page.GetByRole(AriaRole.Grid, new PageGetByRoleOptions { Name = "Versions" });
            var ready = versions.Locator("tr", new LocatorLocatorOptions { HasText = Version });
            await Assertions.Expect(ready).ToContainTextAsync("1.5 MB");
            await Assertions.Expect(ready).ToContainTextAsync("ready");
            // A manifest without its bundle is listed but cannot be chosen: the edge could not serve it.
            await Assertions.Expect(versions.Locator("tr", new LocatorLocatorOptions { HasText = "2026.12.3" })).ToContainTextAsync("bundle not uploaded");
            await Assertions.Expect(page.GetByLabel("Version", new PageGetByLabelOptions { Exact = true })).ToContainTextAsync(Version);
            await page.GetByLabel("Version", new PageGetByLabelOptions { Exact = true }).ClickAsync();
            await Assertions.Expect(page.Locator(".rz-dropdown-item")).ToHaveTextAsync([Version]);
            await page.Keyboard.PressAsync("Escape");

            var kiosks = page.GetByRole(AriaRole.Grid, new PageGetByRoleOptions { Name = "Kiosk updates" });
            var pilot = kiosks.Locator("tr", new LocatorLocatorOptions { HasText = "kiosk-a101" });
            var other = kiosks.Locator("tr", new LocatorLocatorOptions { HasText = "kiosk-a102" });
            await Assertions.Expect(pilot).ToContainTextAsync("Room A101");
            await Assertions.Expect(pilot).ToContainTextAsync("offline");

            // Everyone, before any kiosk ran it: the edge says no, in its words.
            await RollOutToAllAsync(page);
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync($"No kiosk has run {Version} healthily yet");
            await Assertions.Expect(page.Locator(".rz-alert.rz-danger")).ToHaveCountAsync(1);
            Assert.All(await rollouts.ListAsync(Ct), k => Assert.Null(k.State));

            await pilot.GetByRole(AriaRole.Checkbox).ClickAsync();
            await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Roll out to selected (1)" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync($"{Version} offered to kiosk-a101.");
            await Assertions.Expect(pilot.Locator(".rz-badge-info")).ToHaveTextAsync("Offered");
            await Assertions.Expect(pilot).ToContainTextAsync("Ms okafor");
            var offered = (await rollouts.ListAsync(Ct)).ToDictionary(k => k.KioskId, StringComparer.Ordinal);
            Assert.Equal((Version, KioskUpdate.Offered), (offered["kiosk-a101"].OfferedVersion, offered["kiosk-a101"].State));
            Assert.StartsWith("Ms okafor", offered["kiosk-a101"].OfferedBy, StringComparison.Ordinal);
            Assert.Null(offered["kiosk-a102"].State);

            // The pilot installs it, restarts into it (connecting with the new firmware) and reports it healthy, as the kiosk protocol does.
            await rollouts.ReportAsync("kiosk-a101", new UpdateReport(Protocol.Version, Version, UpdateStage.Healthy, clock.GetUtcNow()) { Detail = "linked to the edge, loops alive" }, Ct);
            using var restarted = await ConnectRunningAsync(edge, "kiosk-a101", pilotSecret, Version);
            await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Refresh" }).ClickAsync();
            await Assertions.Expect(pilot.Locator(".rz-badge-success", new LocatorLocatorOptions { HasText = "Healthy" })).ToHaveCountAsync(1);
            await Assertions.Expect(pilot).ToContainTextAsync("linked to the edge, loops alive");
            await Assertions.Expect(pilot).ToContainTextAsync("online");

            await RollOutToAllAsync(page);
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync($"{Version} offered to kiosk-a102.");
            await Assertions.Expect(other.Locator(".rz-badge-info")).ToHaveTextAsync("Offered");
            await Assertions.Expect(pilot.Locator(".rz-badge-success", new LocatorLocatorOptions { HasText = "Healthy" })).ToHaveCountAsync(1);
            await BrowserSite.ScreenshotAsync(page, "admin-updates");
            var after = (await rollouts.ListAsync(Ct)).ToDictionary(k => k.KioskId, StringComparer.Ordinal);
            Assert.Equal((Version, KioskUpdate.Offered), (after["kiosk-a102"].OfferedVersion, after["kiosk-a102"].State));
            Assert.Equal("Healthy", after["kiosk-a101"].State);
        }
        finally
        {
            keys.Delete(recursive: true);
        }
    }

    private static async Task RollOutToAllAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Roll out to all other kiosks" }).ClickAsync();
        var dialog = page.Locator(".rz-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync($"Roll out {Version} to all");
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Roll out", Exact = true }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
    }

    /// <summary>A signed bundle, as district IT uploads it, and a newer version whose bundle has not followed its manifest yet.</summary>
    private static async Task UploadAsync(UpdateBundles bundles, string privateKey, TimeProvider clock)
    {
        // 1.5 MB of something that is not all zeroes, so the hash means something.
        var bundle = new byte[1536 * 1024];
        new Random(2026).NextBytes(bundle);
        var created = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var manifest = await UpdateSignature.ManifestForAsync(Version, new MemoryStream(bundle), created, Ct);
        await bundles.SaveManifestAsync(Version, manifest, UpdateSignature.Sign(manifest, privateKey), Ct);
        Assert.True((await bundles.SaveBundleAsync(Version, new MemoryStream(bundle), Ct))?.Ready);

        var next = await UpdateSignature.ManifestForAsync("2026.12.3", new MemoryStream(bundle), created + 60_000, Ct);
        await bundles.SaveManifestAsync("2026.12.3", next, UpdateSignature.Sign(next, privateKey), Ct);
    }

    /// <summary>The kiosk connected as the version it now runs; completes once the edge has recorded it online.</summary>
    private static async Task<IMqttClient> ConnectRunningAsync(Edge.Tests.EdgeHost edge, string kioskId, string secret, string firmware)
    {
        var presence = edge.Services.GetRequiredService<KioskPresence>();
        var saved = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSaved(IReadOnlyCollection<string> kiosks)
        {
            if (kiosks.Contains(kioskId))
            {
                saved.TrySetResult();
            }
        }
        presence.Saved += OnSaved;
        try
        {
            var options = TestKiosk.Options(edge.MqttPort, kioskId, secret).Build();
            // The firmware a kiosk names on CONNECT is the version it runs: this one, not the test kiosk's default.
            options.UserProperties = [.. options.UserProperties.Where(p => p.Name != Protocol.FirmwareProperty), new MqttUserProperty(Protocol.FirmwareProperty, Encoding.UTF8.GetBytes(firmware))];
            var client = new MqttClientFactory().CreateMqttClient();
            using var timeout = new CancellationTokenSource(TestKiosk.Timeout);
            await client.ConnectAsync(options, timeout.Token);
            await saved.Task.WaitAsync(TestKiosk.Timeout, Ct);
            return client;
        }
        finally
        {
            presence.Saved -= OnSaved;
        }
    }
}
