using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using PassTrack.Contracts.Protocol;
using PassTrack.Contracts.Updates;
using PassTrack.Edge.Kiosks;
using PassTrack.Edge.Tests;
using PassTrack.Edge.Updates;
using PassTrack.Kiosk.Appliance;
using PassTrack.Kiosk.Tests.Link;
using PassTrack.Kiosk.Updates;
using PassTrack.Rules.Demo;
using static PassTrack.Kiosk.Tests.Link.LinkTestSupport;

namespace PassTrack.Kiosk.Tests.Updates;

/// <summary>
/// Updates end to end: a real edge serving a signed bundle over HTTP, and the real kiosk installed as on the wall and
/// run as its systemd unit runs it (update check, launcher, restart on exit). A good version is installed, switched to
/// and kept; a bad signature, a truncated download, a version that never gets healthy and one that cannot even start
/// are each refused or rolled back, and the kiosk answers students throughout.
/// </summary>
public sealed class KioskUpdateTests : IDisposable
{
    private const string KioskId = "kiosk-a101";
    private readonly string _folder = Directory.CreateTempSubdirectory("passtrack-kiosk-update-").FullName;
    private readonly ECDsa _district = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Flashed => KioskService.Firmware;

    private string State => Path.Combine(_folder, "state");

    [Fact]
    public async Task A_signed_update_is_fetched_from_the_edge_installed_beside_the_old_version_switched_to_and_kept_once_healthy()
    {
        using var edge = await EdgeAsync();
        await using var appliance = KioskAppliance.Start(State, KioskArgs(edge));
        var before = await appliance.RunningAsync(Flashed, Ct);
        await before.ScreenShowsAsync("Tap your card", Ct);
        await UploadAsync(edge, await BundleAsync("0.5.0"));

        var healthy = ReportedAsync(edge, UpdateStage.Healthy);
        var installed = ReportedAsync(edge, UpdateStage.Installed);
        await RollOutAsync(edge, "0.5.0");
        var after = await appliance.RunningAsync("0.5.0", Ct);
        await installed;
        await healthy;

        Assert.True(KioskService.ExitForUpdate == before.ExitCode, $"exit {before.ExitCode}:\n{before.Transcript}");
        Assert.Equal("0.5.0", File.ReadAllText(Path.Combine(State, "current")).Trim());
        Assert.False(File.Exists(Path.Combine(State, "pending.json")), "the trial ended");
        Assert.Equal(nameof(UpdateStage.Healthy), (await Rollouts(edge).ListAsync(Ct)).Single(k => k.KioskId == KioskId).State);
        await AnsweredAsync(edge, after);
    }

    [Fact]
    public async Task A_bad_signature_or_a_truncated_download_is_refused_and_the_kiosk_keeps_its_version_and_its_students()
    {
        using var edge = await EdgeAsync();
        await using var appliance = KioskAppliance.Start(State, KioskArgs(edge));
        var kiosk = await appliance.RunningAsync(Flashed, Ct);
        await kiosk.ScreenShowsAsync("Tap your card", Ct);
        var bundle = await BundleAsync("0.5.0");
        await UploadAsync(edge, bundle);

        // The bundle on the edge's disk is damaged after upload: what the kiosk receives is short.
        using (var stored = File.Open(Path.Combine(edge.Folder, "updates", "0.5.0", "bundle.tar.gz"), FileMode.Open))
        {
            stored.SetLength(stored.Length / 2);
        }
        var refused = ReportedAsync(edge, UpdateStage.Refused);
        await RollOutAsync(edge, "0.5.0");
        Assert.Contains("ended after", (await refused).Detail, StringComparison.Ordinal);

        // An offer no district key signed (a compromised edge, say) is refused before anything is fetched.
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var manifest = await UpdateSignature.ManifestForAsync("6.6.6", new MemoryStream(bundle.Bundle), 1, Ct);
        var forged = new UpdateOffer("6.6.6", Convert.ToBase64String(manifest), Convert.ToBase64String(stranger.SignData(manifest, HashAlgorithmName.SHA256)), "/kiosk-updates/6.6.6/bundle", "kiosk-a101.x");
        var logged = kiosk.LoggedAsync("Update 6.6.6 refused: the manifest's signature does not match", TimeSpan.FromSeconds(30), Ct);
        var command = new KioskCommand(Protocol.Version, CommandType.Update, edge.Clock.GetUtcNow()) { Update = forged };
        await edge.Services.GetRequiredService<IKioskTransport>().PublishAsync(new KioskOutbound(Topics.Command(KioskId), JsonSerializer.SerializeToUtf8Bytes(command, ProtocolJson.Default.KioskCommand), false), Ct);
        await logged;

        Assert.False(kiosk.Exited.IsCompleted, "the kiosk never restarted");
        Assert.False(File.Exists(Path.Combine(State, "current")));
        Assert.False(Directory.Exists(Path.Combine(State, "versions", "0.5.0")));
        Assert.False(Directory.Exists(Path.Combine(State, "versions", "6.6.6")));
        await AnsweredAsync(edge, kiosk);
    }

    [Fact]
    public async Task A_version_that_never_reports_healthy_is_rolled_back_at_its_deadline_and_the_taps_it_took_reach_the_edge()
    {
        using var edge = await EdgeAsync();
        await using var appliance = KioskAppliance.Start(State, KioskArgs(edge, trial: TimeSpan.FromSeconds(30)));
        await (await appliance.RunningAsync(Flashed, Ct)).ScreenShowsAsync("Tap your card", Ct);
        // A build that cannot reach its edge: the real kiosk, pointed at a port nobody listens on.
        var unreachable = EdgeHost.FreePort().ToString(CultureInfo.InvariantCulture);
        await UploadAsync(edge, await BundleAsync("0.5.0-offline", build =>
        {
            File.Move(Path.Combine(build, "passtrack-kiosk"), Path.Combine(build, "passtrack-kiosk-real"));
            Script(build, "passtrack-kiosk", $"exec \"$(dirname \"$0\")/passtrack-kiosk-real\" \"$@\" --Kiosk:Edge:Port={unreachable}");
        }));

        var rolledBack = ReportedAsync(edge, UpdateStage.RolledBack, TimeSpan.FromSeconds(120));
        await RollOutAsync(edge, "0.5.0-offline");
        var trial = await appliance.RunningAsync("0.5.0-offline", Ct);
        // On trial and offline, it still takes a student's tap and keeps it.
        await trial.SendAsync($"tap {Card(PlainStudent(edge))}");
        await trial.BeepedAsync(1, Ct);

        var back = await appliance.RunningAsync(Flashed, Ct);
        Assert.Contains("did not report healthy in time", (await rolledBack).Detail, StringComparison.Ordinal);
        Assert.Equal(KioskService.ExitForUpdate, trial.ExitCode);
        Assert.False(File.Exists(Path.Combine(State, "current")), "back on the flashed version");
        Assert.True(Directory.Exists(Path.Combine(State, "versions", "0.5.0-offline")), "the failed version stays beside, for the record");
        await back.ReplayedAsync(Ct);
        Assert.Equal(1L, await ScansAsync(edge));
    }

    [Fact]
    public async Task A_version_that_cannot_start_is_rolled_back_after_three_tries_by_the_check_before_each_start()
    {
        using var edge = await EdgeAsync();
        await using var appliance = KioskAppliance.Start(State, KioskArgs(edge));
        await (await appliance.RunningAsync(Flashed, Ct)).ScreenShowsAsync("Tap your card", Ct);
        await UploadAsync(edge, await BundleAsync("0.5.0-broken", build =>
        {
            File.Delete(Path.Combine(build, "passtrack-kiosk"));
            Script(build, "passtrack-kiosk", "echo 'broken build' >&2\nexit 3");
        }));

        var rolledBack = ReportedAsync(edge, UpdateStage.RolledBack, TimeSpan.FromSeconds(120));
        await RollOutAsync(edge, "0.5.0-broken");
        var back = await appliance.RunningAsync(Flashed, Ct);
        Assert.Contains($"failed to start {UpdateStore.MaxStarts} times", (await rolledBack).Detail, StringComparison.Ordinal);
        Assert.Equal(UpdateStore.MaxStarts, appliance.Log.Split('\n').Count(l => l.Contains("broken build", StringComparison.Ordinal)));
        Assert.Contains("rolled back", appliance.Log, StringComparison.Ordinal);
        await AnsweredAsync(edge, back);
    }

    private async Task<EdgeHost> EdgeAsync()
    {
        var key = Path.Combine(_folder, "update-key.pem");
        await File.WriteAllTextAsync(key, _district.ExportSubjectPublicKeyInfoPem(), Ct);
        var edge = await new EdgeHost(clock: new SchoolTimeClock(), httpPort: EdgeHost.FreePort(), configure: s => s["Edge:Updates:PublicKeyPath"] = key).StartedAsync();
        var secret = await ProvisionAsync(edge, KioskId, "A101");
        KioskCredentials.Save(Path.Combine(_folder, "credentials.json"), new KioskCredentials(KioskId, secret, null));
        return edge;
    }

    private List<string> KioskArgs(EdgeHost edge, TimeSpan? trial = null) =>
    [
        "--simulate",
        $"--Kiosk:CredentialPath={Path.Combine(_folder, "credentials.json")}",
        $"--Kiosk:QueuePath={Path.Combine(_folder, "outbox.db")}",
        "--Kiosk:Edge:Host=127.0.0.1",
        $"--Kiosk:Edge:Port={edge.MqttPort.ToString(CultureInfo.InvariantCulture)}",
        $"--Kiosk:Updates:Root={State}",
        $"--Kiosk:Updates:PublicKeyPath={Path.Combine(_folder, "update-key.pem")}",
        $"--Kiosk:Updates:EdgeHttpPort={edge.HttpPort!.Value.ToString(CultureInfo.InvariantCulture)}",
        $"--Kiosk:Updates:Trial={(trial ?? TimeSpan.FromMinutes(5)).ToString("c", CultureInfo.InvariantCulture)}",
        "--Kiosk:Updates:RetryDelay=00:00:00.200",
        "--Kiosk:Updates:HealthyFor=00:00:03",
    ];

    /// <summary>The kiosk's own build, as a bundle for <paramref name="version"/>, changed by <paramref name="alter"/>.</summary>
    private async Task<(string Version, byte[] Bundle)> BundleAsync(string version, Action<string>? alter = null)
    {
        var build = Path.Combine(_folder, "build-" + version);
        Copy(KioskAppliance.FlashedBuild, build);
        alter?.Invoke(build);
        using var packed = new MemoryStream();
        await using (var gzip = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await TarFile.CreateFromDirectoryAsync(build, gzip, includeBaseDirectory: false, Ct);
        }
        return (version, packed.ToArray());
    }

    private async Task UploadAsync(EdgeHost edge, (string Version, byte[] Bundle) update)
    {
        var manifest = await UpdateSignature.ManifestForAsync(update.Version, new MemoryStream(update.Bundle), edge.Clock.GetUtcNow().ToUnixTimeMilliseconds(), Ct);
        var bundles = edge.Services.GetRequiredService<UpdateBundles>();
        await bundles.SaveManifestAsync(update.Version, manifest, _district.SignData(manifest, HashAlgorithmName.SHA256), Ct);
        Assert.NotNull(await bundles.SaveBundleAsync(update.Version, new MemoryStream(update.Bundle), Ct));
    }

    private static async Task RollOutAsync(EdgeHost edge, string version)
    {
        var rollout = await Rollouts(edge).StartAsync(version, new RolloutRequest([KioskId]), DemoSchool.Principal, Ct);
        Assert.Equal(RolloutResult.Done, rollout.Result);
    }

    private static UpdateRollouts Rollouts(EdgeHost edge) => edge.Services.GetRequiredService<UpdateRollouts>();

    /// <summary>The next report of <paramref name="stage"/> the edge stores for the kiosk: register before acting.</summary>
    private static Task<UpdateReport> ReportedAsync(EdgeHost edge, UpdateStage stage, TimeSpan? timeout = null)
    {
        var done = new TaskCompletionSource<UpdateReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        var rollouts = Rollouts(edge);
        void OnReported(string kioskId, UpdateReport report)
        {
            if (kioskId == KioskId && report.Stage == stage && done.TrySetResult(report))
            {
                rollouts.Reported -= OnReported;
            }
        }
        rollouts.Reported += OnReported;
        return done.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(90), Ct);
    }

    /// <summary>A student taps and the edge answers with the destination menu: the kiosk is in service.</summary>
    private static async Task AnsweredAsync(EdgeHost edge, KioskProcess kiosk)
    {
        var student = PlainStudent(edge);
        await kiosk.SendAsync($"tap {Card(student)}");
        try
        {
            // "Hi Ana: choose", or "Hola Ana: elige" for a student who reads Spanish.
            await kiosk.ScreenShowsAsync($" {student.FirstName}: ", Ct);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"No menu for {student.FirstName} ({Card(student)}); the kiosk:\n{kiosk.Transcript}");
        }
    }

    private static async Task<long> ScansAsync(EdgeHost edge)
    {
        await using var connection = new SqliteConnection($"Data Source={edge.DataPath};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM Scans WHERE KioskId = '{KioskId}'";
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static void Script(string folder, string name, string body)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        // A kiosk runs Linux: there the script must be executable for the launcher to run it.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
    }

    /// <summary>The build for this machine only: the other platforms' native libraries would only slow the test.</summary>
    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.StartsWith("runtimes" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !relative.StartsWith(Path.Combine("runtimes", "linux-x64"), StringComparison.Ordinal)
                && !relative.StartsWith(Path.Combine("runtimes", "unix"), StringComparison.Ordinal))
            {
                continue;
            }
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public void Dispose()
    {
        _district.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file a killed kiosk still held: the OS cleans the temporary folder.
        }
    }
}
