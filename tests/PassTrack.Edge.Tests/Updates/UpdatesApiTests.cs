using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PassTrack.Contracts.Protocol;
using PassTrack.Contracts.Updates;
using PassTrack.Edge.Kiosks;
using PassTrack.Edge.Security;
using PassTrack.Edge.Store;
using PassTrack.Edge.Tests.Api;
using PassTrack.Edge.Tests.Kiosks;
using PassTrack.Edge.Updates;

namespace PassTrack.Edge.Tests.Updates;

/// <summary>
/// Kiosk updates at the edge, through its real HTTP API and broker: a bundle is kept only when its manifest carries the
/// district's signature and the bundle is exactly what the manifest says; a version goes to a chosen group before
/// everyone; a kiosk downloads only with the token its own offer carried; kiosks' reports are recorded.
/// </summary>
public sealed class UpdatesApiTests : IDisposable
{
    private readonly ECDsa _district = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly string _keyFolder = Directory.CreateTempSubdirectory("passtrack-update-key-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private EdgeHost NewEdge()
    {
        var keyPath = Path.Combine(_keyFolder, "update-key.pem");
        File.WriteAllText(keyPath, _district.ExportSubjectPublicKeyInfoPem());
        return new EdgeHost(configure: s => s["Edge:Updates:PublicKeyPath"] = keyPath);
    }

    private async Task<(byte[] Bundle, byte[] Manifest, byte[] Signature)> SignedAsync(string version, int size = 200_000, ECDsa? key = null)
    {
        var bundle = RandomNumberGenerator.GetBytes(size);
        var manifest = await UpdateSignature.ManifestForAsync(version, new MemoryStream(bundle), 1_764_600_000_000, Ct);
        return (bundle, manifest, (key ?? _district).SignData(manifest, HashAlgorithmName.SHA256));
    }

    private static Task<HttpResponseMessage> PutManifestAsync(HttpClient client, string version, byte[] manifest, byte[] signature) =>
        client.PutJsonAsync($"/api/updates/{version}/manifest", new ManifestUpload(Convert.ToBase64String(manifest), Convert.ToBase64String(signature)));

    private static Task<HttpResponseMessage> PutBundleAsync(HttpClient client, string version, byte[] bundle)
    {
        var content = new ByteArrayContent(bundle);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return client.PutAsync($"/api/updates/{version}/bundle", content, Ct);
    }

    private static async Task<string> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"{response.StatusCode} (expected {expected}): {body}");
        // The detail of a refusal, the field errors of a bad request.
        var problem = JsonDocument.Parse(body).RootElement;
        return problem.TryGetProperty("detail", out var detail) ? detail.GetString()! : problem.GetProperty("errors").GetRawText();
    }

    [Fact]
    public async Task Only_a_bundle_signed_by_the_district_and_exactly_as_its_manifest_says_is_kept()
    {
        using var edge = NewEdge();
        using var client = await edge.ClientAsync(Scopes.Kiosks);
        var (bundle, manifest, signature) = await SignedAsync("1.2.0");

        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Contains("signature", await ProblemAsync(await PutManifestAsync(client, "1.2.0", manifest, stranger.SignData(manifest, HashAlgorithmName.SHA256)), HttpStatusCode.UnprocessableEntity), StringComparison.Ordinal);
        Assert.Contains("not 1.3.0", await ProblemAsync(await PutManifestAsync(client, "1.3.0", manifest, signature), HttpStatusCode.UnprocessableEntity), StringComparison.Ordinal);
        Assert.Contains("manifest first", await ProblemAsync(await PutBundleAsync(client, "1.2.0", bundle), HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Contains("version", await ProblemAsync(await PutManifestAsync(client, "..%2F..%2Fetc", manifest, signature), HttpStatusCode.BadRequest), StringComparison.Ordinal);

        (await PutManifestAsync(client, "1.2.0", manifest, signature)).EnsureSuccessStatusCode();
        Assert.Contains("ended after", await ProblemAsync(await PutBundleAsync(client, "1.2.0", bundle[..^100]), HttpStatusCode.UnprocessableEntity), StringComparison.Ordinal);
        var altered = (byte[])bundle.Clone();
        altered[1000] ^= 1;
        Assert.Contains("SHA-256", await ProblemAsync(await PutBundleAsync(client, "1.2.0", altered), HttpStatusCode.UnprocessableEntity), StringComparison.Ordinal);
        var listed = await (await client.GetAsync("/api/updates", Ct)).JsonAsync();
        Assert.False(listed.GetProperty("bundles")[0].GetProperty("ready").GetBoolean());

        (await PutBundleAsync(client, "1.2.0", bundle)).EnsureSuccessStatusCode();
        listed = await (await client.GetAsync("/api/updates", Ct)).JsonAsync();
        var held = Assert.Single(listed.GetProperty("bundles").EnumerateArray());
        Assert.Equal("1.2.0", held.GetProperty("version").GetString());
        Assert.True(held.GetProperty("ready").GetBoolean());
        Assert.Equal(bundle.Length, held.GetProperty("size").GetInt64());
        Assert.Equal(["bundle.tar.gz", "manifest.json", "manifest.sig"], Directory.GetFiles(Path.Combine(edge.Folder, "updates", "1.2.0")).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        // A key without the kiosks scope sees none of it.
        using var teacher = await edge.ClientAsync(Scopes.PassesRead);
        Assert.Equal(HttpStatusCode.Forbidden, (await teacher.GetAsync("/api/updates", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_version_goes_to_a_chosen_kiosk_first_which_downloads_it_with_its_own_token_and_reports_back()
    {
        using var edge = NewEdge();
        using var client = await edge.ClientAsync(Scopes.Kiosks);
        var (bundle, manifest, signature) = await SignedAsync("1.2.0");
        (await PutManifestAsync(client, "1.2.0", manifest, signature)).EnsureSuccessStatusCode();
        (await PutBundleAsync(client, "1.2.0", bundle)).EnsureSuccessStatusCode();
        await using var pilot = await KioskTestSupport.KioskInAsync(edge, "A101");
        await using var other = await KioskTestSupport.KioskInAsync(edge, "A102");

        Assert.Contains("chosen group first", await ProblemAsync(await client.PostJsonAsync("/api/updates/1.2.0/rollout", new RolloutRequest(null, Everyone: true)), HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Contains("kiosk-nowhere", await ProblemAsync(await client.PostJsonAsync("/api/updates/1.2.0/rollout", new RolloutRequest(["kiosk-nowhere"])), HttpStatusCode.NotFound), StringComparison.Ordinal);
        await ProblemAsync(await client.PostJsonAsync("/api/updates/9.9.9/rollout", new RolloutRequest(["kiosk-a101"])), HttpStatusCode.NotFound);

        var offered = pilot.CommandAsync(CommandType.Update);
        (await client.PostJsonAsync("/api/updates/1.2.0/rollout", new RolloutRequest(["kiosk-a101"]))).EnsureSuccessStatusCode();
        var offer = (await offered).Update!;
        Assert.Equal("1.2.0", offer.Version);
        Assert.Equal(manifest, Convert.FromBase64String(offer.Manifest));
        Assert.Equal(UpdateSignature.Verify(manifest, Convert.FromBase64String(offer.Signature), _district.ExportSubjectPublicKeyInfoPem()).Sha256, Convert.ToHexStringLower(SHA256.HashData(bundle)));
        Assert.DoesNotContain(other.Commands, c => c.Type == CommandType.Update);

        // The download needs no API key, only the offer's token: the right one, for this version.
        using var anonymous = edge.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await DownloadAsync(anonymous, offer.Path, null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await DownloadAsync(anonymous, offer.Path, offer.Token + "x")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await DownloadAsync(anonymous, offer.Path, "kiosk-a102." + offer.Token.Split('.')[1])).StatusCode);
        var download = await DownloadAsync(anonymous, offer.Path, offer.Token);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(bundle, await download.Content.ReadAsByteArrayAsync(Ct));

        // The kiosk reports; the edge records it, and only then may everyone else have the version.
        var rollouts = edge.Services.GetRequiredService<UpdateRollouts>();
        await ReportAsync(pilot, rollouts, new UpdateReport(Protocol.Version, "1.2.0", UpdateStage.Installed, edge.Clock.GetUtcNow()) { Detail = "was 1.1.0" });
        await ReportAsync(pilot, rollouts, new UpdateReport(Protocol.Version, "1.2.0", UpdateStage.Healthy, edge.Clock.GetUtcNow()));
        var kiosks = await rollouts.ListAsync(Ct);
        Assert.Equal(nameof(UpdateStage.Healthy), kiosks.Single(k => k.KioskId == "kiosk-a101").State);
        Assert.Null(kiosks.Single(k => k.KioskId == "kiosk-a102").State);
        // A token dies with its offer.
        Assert.Equal(HttpStatusCode.NotFound, (await DownloadAsync(anonymous, offer.Path, offer.Token)).StatusCode);

        // Not removable while a kiosk still has to fetch it.
        var offeredToOther = other.CommandAsync(CommandType.Update);
        (await client.PostJsonAsync("/api/updates/1.2.0/rollout", new RolloutRequest(["kiosk-a102"]))).EnsureSuccessStatusCode();
        var firstToOther = (await offeredToOther).Update!.Token;
        Assert.Contains("kiosk-a102", await ProblemAsync(await client.DeleteAsync("/api/updates/1.2.0", Ct), HttpStatusCode.Conflict), StringComparison.Ordinal);

        var everyone = other.CommandAsync(c => c.Type == CommandType.Update && c.Update!.Token != firstToOther);
        // As district IT types it: no kioskIds at all.
        var response = await client.PostAsync("/api/updates/1.2.0/rollout", new StringContent("""{"everyone":true}""", System.Text.Encoding.UTF8, "application/json"), Ct);
        response.EnsureSuccessStatusCode();
        Assert.Equal("1.2.0", (await everyone).Update!.Version);
        // Everyone but the kiosks already on it: here the pilot still says "test" in its status, but reported the version healthy.
        Assert.Equal(["kiosk-a102"], (await response.JsonAsync()).GetProperty("kiosks").EnumerateArray().Select(k => k.GetString()));

        // Once every kiosk has answered, the version may go from the edge; the kiosks keep what they installed.
        await ReportAsync(other, rollouts, new UpdateReport(Protocol.Version, "1.2.0", UpdateStage.Healthy, edge.Clock.GetUtcNow()));
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/updates/1.2.0", Ct)).StatusCode);
        Assert.Empty((await (await client.GetAsync("/api/updates", Ct)).JsonAsync()).GetProperty("bundles").EnumerateArray());
        Assert.False(Directory.Exists(Path.Combine(edge.Folder, "updates", "1.2.0")));
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync("/api/updates/1.2.0", Ct)).StatusCode);

        await using var scope = edge.Services.CreateAsyncScope();
        var history = await scope.ServiceProvider.GetRequiredService<EdgeDb>().KioskStatusHistory.Where(h => h.KioskId == "kiosk-a101" && h.State == "Update").Select(h => h.Detail).ToListAsync(Ct);
        Assert.Contains(history, d => d!.Contains("offered by", StringComparison.Ordinal));
        Assert.Contains(history, d => d!.Contains("Healthy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_malformed_or_stray_update_report_is_refused_or_ignored_and_nothing_stored_changes()
    {
        using var edge = NewEdge();
        await edge.StartedAsync();
        await using var kiosk = await KioskTestSupport.KioskInAsync(edge, "A101");
        var refused = KioskTestSupport.RefusalAsync(edge, RefusalReasons.Malformed, "kiosk-a101");
        await kiosk.PublishAsync(Topics.Update("kiosk-a101"), """{"v":1,"version":"../../x","stage":"Healthy","at":"2026-12-01T15:05:00Z"}"""u8.ToArray());
        Assert.Contains("version", (await refused.WaitAsync(TestKiosk.Timeout, Ct)).Detail, StringComparison.Ordinal);

        var rollouts = edge.Services.GetRequiredService<UpdateRollouts>();
        var reported = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rollouts.Reported += (_, _) => reported.TrySetResult();
        // Well formed, but about an update this kiosk was never offered: logged, not stored.
        await kiosk.PublishAsync(Topics.Update("kiosk-a101"), TestKiosk.Json(new UpdateReport(Protocol.Version, "7.0.0", UpdateStage.Healthy, edge.Clock.GetUtcNow()), ProtocolJson.Default.UpdateReport));
        var stray = KioskTestSupport.RefusalAsync(edge, RefusalReasons.Malformed, "kiosk-a101");
        await kiosk.PublishAsync(Topics.Update("kiosk-a101"), "not json"u8.ToArray());
        await stray.WaitAsync(TestKiosk.Timeout, Ct);
        Assert.False(reported.Task.IsCompleted);
        Assert.All(await rollouts.ListAsync(Ct), k => Assert.Null(k.State));
    }

    private static async Task ReportAsync(TestKiosk kiosk, UpdateRollouts rollouts, UpdateReport report)
    {
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnReported(string id, UpdateReport r)
        {
            if (id == kiosk.Id && r.Stage == report.Stage)
            {
                stored.TrySetResult();
            }
        }
        rollouts.Reported += OnReported;
        try
        {
            await kiosk.PublishAsync(Topics.Update(kiosk.Id), TestKiosk.Json(report, ProtocolJson.Default.UpdateReport));
            await stored.Task.WaitAsync(TestKiosk.Timeout, Ct);
        }
        finally
        {
            rollouts.Reported -= OnReported;
        }
    }

    private static Task<HttpResponseMessage> DownloadAsync(HttpClient client, string path, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Add(UpdateRollouts.TokenHeader, token);
        }
        return client.SendAsync(request, Ct);
    }

    public void Dispose()
    {
        _district.Dispose();
        Directory.Delete(_keyFolder, recursive: true);
    }
}
