using Microsoft.Extensions.Options;
using PassTrack.Contracts.Updates;

namespace PassTrack.Edge.Updates;

/// <summary>A bundle held at this edge: its signed manifest, and whether the bundle itself has been uploaded and checked.</summary>
public sealed record BundleView(string Version, long Size, string Sha256, DateTimeOffset CreatedAt, bool Ready);

/// <summary>A manifest and the file it vouches for, ready to serve.</summary>
public sealed record HeldBundle(UpdateManifest Manifest, byte[] ManifestJson, byte[] Signature, string BundlePath);

/// <summary>
/// Kiosk update bundles on the edge's disk, one folder per version: <c>manifest.json</c>, <c>manifest.sig</c> and
/// <c>bundle.tar.gz</c>. The manifest is checked against the district's key when it is uploaded and the bundle
/// against the manifest, so the edge only ever serves what a kiosk would accept; kiosks check both again themselves.
/// </summary>
public sealed partial class UpdateBundles(IOptions<UpdateOptions> options, IOptions<EdgeOptions> edge, ILogger<UpdateBundles> logger) : IDisposable
{
    private const string ManifestFile = "manifest.json";
    private const string SignatureFile = "manifest.sig";
    private const string BundleFile = "bundle.tar.gz";
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly Lazy<string?> _publicKey = new(() =>
        options.Value.PublicKeyPath is { Length: > 0 } path && File.Exists(path) ? File.ReadAllText(path) : null);

    public string Root { get; } = options.Value.Folder is { Length: > 0 } folder
        ? Path.GetFullPath(folder)
        : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(edge.Value.DataPath))!, "updates");

    public long MaxBundleBytes => options.Value.MaxBundleBytes;

    /// <summary>Checks and keeps a version's manifest. A bundle already uploaded for another manifest is dropped.</summary>
    public async Task<BundleView> SaveManifestAsync(string version, byte[] manifestJson, byte[] signature, CancellationToken cancellationToken)
    {
        var key = PublicKey() ?? throw new UpdateRefusedException(UpdateRefusal.BadSignature, $"this edge has no district update key ({UpdateOptions.Section}:PublicKeyPath), so it cannot check bundles");
        var manifest = UpdateSignature.Verify(manifestJson, signature, key);
        if (manifest.Version != version)
        {
            throw new UpdateRefusedException(UpdateRefusal.BadManifest, $"the manifest is for version {manifest.Version}, not {version}");
        }
        if (manifest.Size > MaxBundleBytes)
        {
            throw new UpdateRefusedException(UpdateRefusal.BadManifest, $"the bundle would be {manifest.Size} bytes; this edge takes at most {MaxBundleBytes}");
        }
        await _writing.WaitAsync(cancellationToken);
        try
        {
            var folder = Path.Combine(Root, version);
            Directory.CreateDirectory(folder);
            if (Read(version) is { } held && held.Manifest.Sha256 != manifest.Sha256)
            {
                File.Delete(held.BundlePath);
            }
            await WriteAtomicallyAsync(Path.Combine(folder, SignatureFile), signature, cancellationToken);
            await WriteAtomicallyAsync(Path.Combine(folder, ManifestFile), manifestJson, cancellationToken);
        }
        finally
        {
            _writing.Release();
        }
        ManifestSaved(logger, version, manifest.Size);
        return View(manifest, ready: File.Exists(Path.Combine(Root, version, BundleFile)));
    }

    /// <summary>
    /// Streams a bundle to disk, refusing it (and keeping nothing) unless it is exactly the manifest's size and hash.
    /// Null when the version has no manifest yet.
    /// </summary>
    public async Task<BundleView?> SaveBundleAsync(string version, Stream body, CancellationToken cancellationToken)
    {
        if (ReadManifest(version)?.Manifest is not { } manifest)
        {
            return null;
        }
        var folder = Path.Combine(Root, version);
        var partial = Path.Combine(folder, BundleFile + ".partial");
        await _writing.WaitAsync(cancellationToken);
        try
        {
            await using (var file = File.Create(partial))
            {
                await UpdateSignature.CopyCheckedAsync(body, file, manifest, cancellationToken);
                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }
            File.Move(partial, Path.Combine(folder, BundleFile), overwrite: true);
        }
        finally
        {
            File.Delete(partial);
            _writing.Release();
        }
        BundleSaved(logger, version, manifest.Size);
        return View(manifest, ready: true);
    }

    /// <summary>Removes a version's files; false when there were none.</summary>
    public async Task<bool> DeleteAsync(string version, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Root, version);
        if (!UpdateSignature.IsSafeVersion(version) || !Directory.Exists(folder))
        {
            return false;
        }
        await _writing.WaitAsync(cancellationToken);
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        finally
        {
            _writing.Release();
        }
        Deleted(logger, version);
        return true;
    }

    public IReadOnlyList<BundleView> List()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }
        return [.. Directory.EnumerateDirectories(Root)
            .Select(d => Path.GetFileName(d))
            .Where(UpdateSignature.IsSafeVersion)
            .Select(v => ReadManifest(v) is { } m ? View(m.Manifest, File.Exists(Path.Combine(Root, v, BundleFile))) : null)
            .OfType<BundleView>()
            .OrderByDescending(b => b.CreatedAt)];
    }

    /// <summary>A version whose manifest and bundle are both here, or null.</summary>
    public HeldBundle? Read(string version)
    {
        if (!UpdateSignature.IsSafeVersion(version))
        {
            return null;
        }
        var folder = Path.Combine(Root, version);
        var bundle = Path.Combine(folder, BundleFile);
        if (ReadManifest(version) is not { } manifest || !File.Exists(bundle))
        {
            return null;
        }
        return manifest with { BundlePath = bundle };
    }

    /// <summary>
    /// The stored manifest and signature, checked again against the district's key: files changed under the edge after
    /// upload are caught here, before a kiosk is sent them. <see cref="HeldBundle.BundlePath"/> is left empty.
    /// </summary>
    private HeldBundle? ReadManifest(string version)
    {
        var folder = Path.Combine(Root, version);
        var manifestPath = Path.Combine(folder, ManifestFile);
        var signaturePath = Path.Combine(folder, SignatureFile);
        if (!UpdateSignature.IsSafeVersion(version) || !File.Exists(manifestPath) || !File.Exists(signaturePath) || PublicKey() is not { } key)
        {
            return null;
        }
        try
        {
            var json = File.ReadAllBytes(manifestPath);
            var signature = File.ReadAllBytes(signaturePath);
            return new HeldBundle(UpdateSignature.Verify(json, signature, key), json, signature, "");
        }
        catch (UpdateRefusedException ex)
        {
            // Someone changed the files under the edge: say so, and do not offer the version.
            StoredManifestBad(logger, version, ex.Message);
            return null;
        }
    }

    public void Dispose() => _writing.Dispose();

    // Read once: a new district key means new settings, and the edge restarts for those.
    private string? PublicKey() => _publicKey.Value;

    private static BundleView View(UpdateManifest m, bool ready) =>
        new(m.Version, m.Size, m.Sha256, DateTimeOffset.FromUnixTimeMilliseconds(m.CreatedAtUnixMs), ready);

    private static async Task WriteAtomicallyAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        var next = path + ".next";
        await File.WriteAllBytesAsync(next, bytes, cancellationToken);
        File.Move(next, path, overwrite: true);
    }

    [LoggerMessage(170, LogLevel.Information, "Update {Version}: signed manifest stored ({Size} byte bundle expected)")]
    private static partial void ManifestSaved(ILogger logger, string version, long size);

    [LoggerMessage(171, LogLevel.Information, "Update {Version}: bundle of {Size} bytes stored and matches its manifest")]
    private static partial void BundleSaved(ILogger logger, string version, long size);

    [LoggerMessage(173, LogLevel.Information, "Update {Version}: removed from this edge")]
    private static partial void Deleted(ILogger logger, string version);

    [LoggerMessage(172, LogLevel.Error, "Update {Version}: the stored manifest no longer checks against the district's key ({Reason}); it is not offered")]
    private static partial void StoredManifestBad(ILogger logger, string version, string reason);
}
