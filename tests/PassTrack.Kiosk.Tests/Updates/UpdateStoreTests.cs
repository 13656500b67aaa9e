using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using PassTrack.Contracts.Updates;
using PassTrack.Kiosk.Updates;

namespace PassTrack.Kiosk.Tests.Updates;

/// <summary>
/// Signed updates on the kiosk, on real files: a bundle is checked against its signed manifest, installed beside the
/// running version, switched to, and rolled back on its own when it does not prove healthy. Every refusal leaves the
/// running version current and untouched.
/// </summary>
public sealed class UpdateStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("passtrack-updates-").FullName;
    private readonly ECDsa _district = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 6, 0, 0, TimeSpan.Zero));
    private readonly UpdateStore _store;

    public UpdateStoreTests()
    {
        _store = new UpdateStore(_root, _district.ExportSubjectPublicKeyInfoPem(), _clock);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Bundle(params (string Name, string Content)[] files)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip))
        {
            foreach (var (name, content) in files)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };
                tar.WriteEntry(entry);
            }
        }
        return output.ToArray();
    }

    private (byte[] Manifest, byte[] Signature) Sign(string version, byte[] bundle, ECDsa? key = null)
    {
        var manifest = Encoding.UTF8.GetBytes($$"""{"version":"{{version}}","size":{{bundle.Length}},"sha256":"{{Convert.ToHexStringLower(SHA256.HashData(bundle))}}","createdAtUnixMs":1}""");
        return (manifest, (key ?? _district).SignData(manifest, HashAlgorithmName.SHA256));
    }

    private async Task InstallAsync(string version, TimeSpan trial)
    {
        var bundle = Bundle(("passtrack-kiosk", $"kiosk {version}"));
        var (manifest, signature) = Sign(version, bundle);
        await _store.StageAsync(new MemoryStream(bundle), _store.Verify(manifest, signature), Ct);
        _store.Switch(version, trial);
    }

    private string Running => File.ReadAllText(Path.Combine(_store.CurrentFolder!, "passtrack-kiosk"));

    [Fact]
    public async Task A_signed_bundle_is_installed_beside_the_old_one_and_kept_once_it_reports_healthy()
    {
        await InstallAsync("1.0.0", TimeSpan.FromMinutes(5));
        _store.ConfirmHealthy("1.0.0");
        await InstallAsync("1.1.0", TimeSpan.FromMinutes(5));

        Assert.Equal("1.1.0", _store.CurrentVersion);
        Assert.Equal("kiosk 1.1.0", Running);
        Assert.Equal(StartVerdict.Trial, _store.OnStart("1.1.0"));
        _store.ConfirmHealthy("1.1.0");

        Assert.Null(_store.Pending);
        Assert.Equal(StartVerdict.Run, _store.OnStart("1.1.0"));
        Assert.True(Directory.Exists(Path.Combine(_root, "versions", "1.0.0")), "the old version stays beside the new one");

        // A third version, kept: the first goes, the one before it stays to go back to.
        await InstallAsync("1.2.0", TimeSpan.FromMinutes(5));
        _store.ConfirmHealthy("1.2.0");
        Assert.Equal(["1.1.0", "1.2.0"], Directory.GetDirectories(Path.Combine(_root, "versions")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_bad_signature_a_tampered_manifest_and_a_truncated_or_altered_download_are_refused_and_nothing_changes()
    {
        await InstallAsync("1.0.0", TimeSpan.FromMinutes(5));
        _store.ConfirmHealthy("1.0.0");
        var bundle = Bundle(("passtrack-kiosk", "kiosk 2.0.0"));

        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (manifest, foreign) = Sign("2.0.0", bundle, stranger);
        Assert.Equal(UpdateRefusal.BadSignature, Assert.Throws<UpdateRefusedException>(() => _store.Verify(manifest, foreign)).Reason);

        var (signed, signature) = Sign("2.0.0", bundle);
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(signed).Replace("2.0.0", "2.0.1", StringComparison.Ordinal));
        Assert.Equal(UpdateRefusal.BadSignature, Assert.Throws<UpdateRefusedException>(() => _store.Verify(tampered, signature)).Reason);

        var good = _store.Verify(signed, signature);
        var truncated = await Assert.ThrowsAsync<UpdateRefusedException>(() => _store.StageAsync(new MemoryStream(bundle[..^10]), good, Ct));
        Assert.Equal(UpdateRefusal.Truncated, truncated.Reason);

        var altered = (byte[])bundle.Clone();
        altered[altered.Length / 2] ^= 0x55;
        var wrong = await Assert.ThrowsAsync<UpdateRefusedException>(() => _store.StageAsync(new MemoryStream(altered), good, Ct));
        Assert.Equal(UpdateRefusal.WrongHash, wrong.Reason);

        // The kiosk keeps running what it had, and nothing of the refused bundles was left behind.
        Assert.Equal("1.0.0", _store.CurrentVersion);
        Assert.Equal("kiosk 1.0.0", Running);
        Assert.Equal(["1.0.0"], Directory.GetFileSystemEntries(Path.Combine(_root, "versions")).Select(Path.GetFileName));
        Assert.DoesNotContain(Directory.GetFiles(_root), f => Path.GetFileName(f).StartsWith("download-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bundle_that_reaches_outside_its_folder_is_refused()
    {
        var bundle = Bundle(("passtrack-kiosk", "kiosk"), ("../../etc/passtrack/credentials.json", "stolen"));
        var (manifest, signature) = Sign("3.0.0", bundle);

        var refused = await Assert.ThrowsAsync<UpdateRefusedException>(() => _store.StageAsync(new MemoryStream(bundle), _store.Verify(manifest, signature), Ct));

        Assert.Equal(UpdateRefusal.UnsafeEntry, refused.Reason);
        Assert.False(Directory.Exists(Path.Combine(_root, "versions", "3.0.0")));
        Assert.False(File.Exists(Path.Combine(_root, "etc", "passtrack", "credentials.json")));
    }

    [Fact]
    public async Task A_version_that_never_reports_healthy_is_rolled_back_at_its_deadline()
    {
        await InstallAsync("1.0.0", TimeSpan.FromMinutes(5));
        _store.ConfirmHealthy("1.0.0");
        await InstallAsync("1.1.0", TimeSpan.FromMinutes(5));
        Assert.Equal(StartVerdict.Trial, _store.OnStart("1.1.0"));

        // It runs but never links to its edge; the watchdog restarts it after the deadline.
        _clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(StartVerdict.RolledBack, _store.OnStart("1.1.0"));

        Assert.Equal("1.0.0", _store.CurrentVersion);
        Assert.Equal("kiosk 1.0.0", Running);
        Assert.Null(_store.Pending);
        Assert.Equal(StartVerdict.Run, _store.OnStart("1.0.0"));
    }

    [Fact]
    public async Task A_version_that_keeps_failing_to_start_is_rolled_back_and_so_is_one_that_never_starts()
    {
        await InstallAsync("1.0.0", TimeSpan.FromMinutes(5));
        _store.ConfirmHealthy("1.0.0");
        await InstallAsync("1.1.0", TimeSpan.FromMinutes(5));
        for (var i = 0; i < UpdateStore.MaxStarts; i++)
        {
            Assert.Equal(StartVerdict.Trial, _store.OnStart("1.1.0"));
        }
        Assert.Equal(StartVerdict.RolledBack, _store.OnStart("1.1.0"));
        Assert.Equal("1.0.0", _store.CurrentVersion);

        // A version that cannot even start: past its deadline the check before the service starts switches back.
        await InstallAsync("1.2.0", TimeSpan.FromMinutes(5));
        Assert.False(_store.RollBackIfOverdue());
        _clock.Advance(TimeSpan.FromMinutes(6));
        Assert.True(_store.RollBackIfOverdue());
        Assert.Equal("1.0.0", _store.CurrentVersion);
    }

    public void Dispose()
    {
        _district.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
