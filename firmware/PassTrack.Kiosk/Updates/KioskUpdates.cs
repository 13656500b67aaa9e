using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using PassTrack.Contracts.Protocol;
using PassTrack.Contracts.Updates;

namespace PassTrack.Kiosk.Updates;

/// <summary>An update in trial: the version switched to, the one to go back to, and how long it has to prove healthy.</summary>
public sealed record PendingUpdate(string Version, string? Previous, long DeadlineUnixMs, int Starts);

/// <summary>
/// How the last update went, kept on disk until the edge has it: a rollback is decided by one process (the check
/// before a start, or a version on trial giving up) and reported by the next, once it is linked to the edge.
/// </summary>
public sealed record UpdateOutcome(string Version, UpdateStage Stage, string? Detail, long AtUnixMs);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PendingUpdate))]
[JsonSerializable(typeof(UpdateOutcome))]
internal sealed partial class UpdateJson : JsonSerializerContext;

/// <summary>What the kiosk should do on start, given an update in trial.</summary>
public enum StartVerdict
{
    /// <summary>No update in trial: run.</summary>
    Run,
    /// <summary>This version is on trial: run, and confirm once healthy.</summary>
    Trial,
    /// <summary>The trial failed and the previous version is current again: exit so the service starts it.</summary>
    RolledBack,
}

/// <summary>
/// The kiosk's installed versions on its writable data partition (the root file system is a read-only overlay):
/// <c>versions/&lt;version&gt;/</c> each unpacked beside the others, a <c>current</c> file naming the one the service
/// starts (its launcher runs <c>versions/$(cat current)/passtrack-kiosk</c>; a file replaced by rename is atomic where
/// a symbolic link to a folder cannot be renamed over from .NET), and
/// <c>pending.json</c> while a new version is on trial. A new version is installed beside the old one and switched to;
/// if it does not confirm it is healthy before its deadline, or keeps failing to start, the next start switches back.
/// Bundles are ECDSA P-256 signed (the district's public key is provisioned at flash time; the BCL has no Ed25519).
/// </summary>
public sealed class UpdateStore(string root, string? publicKeyPem, TimeProvider time)
{
    /// <summary>A version that has been started this many times without confirming is rolled back.</summary>
    public const int MaxStarts = 3;

    private string Versions => Path.Combine(root, "versions");

    private string Current => Path.Combine(root, "current");

    private string PendingPath => Path.Combine(root, "pending.json");

    private string OutcomePath => Path.Combine(root, "update-outcome.json");

    public string Root => root;

    /// <summary>The version <c>current</c> names, or null before the first install.</summary>
    public string? CurrentVersion => File.Exists(Current) ? File.ReadAllText(Current).Trim() : null;

    /// <summary>The folder of the version <c>current</c> names.</summary>
    public string? CurrentFolder => CurrentVersion is { } version ? Path.Combine(Versions, version) : null;

    public PendingUpdate? Pending =>
        File.Exists(PendingPath) ? JsonSerializer.Deserialize(File.ReadAllBytes(PendingPath), UpdateJson.Default.PendingUpdate) : null;

    /// <summary>Checks the manifest's signature with the provisioned key and reads it; refuses anything else.</summary>
    public UpdateManifest Verify(byte[] manifestJson, byte[] signature) =>
        publicKeyPem is null
            ? throw new UpdateRefusedException(UpdateRefusal.BadSignature, "this kiosk has no district update key, so it takes no updates")
            : UpdateSignature.Verify(manifestJson, signature, publicKeyPem);

    /// <summary>The outcome the edge has not been told yet, if any.</summary>
    public UpdateOutcome? Outcome =>
        File.Exists(OutcomePath) ? JsonSerializer.Deserialize(File.ReadAllBytes(OutcomePath), UpdateJson.Default.UpdateOutcome) : null;

    public void Record(string version, UpdateStage stage, string? detail) =>
        WriteAtomically(OutcomePath, JsonSerializer.SerializeToUtf8Bytes(new UpdateOutcome(version, stage, detail, time.GetUtcNow().ToUnixTimeMilliseconds()), UpdateJson.Default.UpdateOutcome));

    /// <summary>The edge has <paramref name="reported"/>: forget it, unless a newer outcome replaced it meanwhile.</summary>
    public void Reported(UpdateOutcome reported)
    {
        if (Outcome == reported)
        {
            File.Delete(OutcomePath);
        }
    }

    /// <summary>
    /// The check before every start (the unit's <c>ExecStartPre</c>, run by the flashed version): counts a start of the
    /// version on trial, and switches back to the previous one when it has failed to start <see cref="MaxStarts"/>
    /// times or is past its deadline without reporting healthy.
    /// </summary>
    public StartVerdict CheckBeforeStart() => CurrentVersion is { } current ? OnStart(current) : StartVerdict.Run;

    /// <summary>
    /// Reads the bundle (a tar.gz) from <paramref name="bundle"/>, refusing it unless it is exactly the manifest's size
    /// and hash, and unpacks it beside the installed versions. Nothing changes for the running kiosk.
    /// </summary>
    public async Task StageAsync(Stream bundle, UpdateManifest manifest, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Versions);
        var download = Path.Combine(root, $"download-{manifest.Version}.tar.gz");
        var unpacking = Path.Combine(Versions, manifest.Version + ".partial");
        try
        {
            await DownloadAsync(bundle, download, manifest, cancellationToken);
            if (Directory.Exists(unpacking))
            {
                Directory.Delete(unpacking, recursive: true);
            }
            Directory.CreateDirectory(unpacking);
            await UnpackAsync(download, unpacking, cancellationToken);
            var target = Path.Combine(Versions, manifest.Version);
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }
            Directory.Move(unpacking, target);
        }
        catch
        {
            if (Directory.Exists(unpacking))
            {
                Directory.Delete(unpacking, recursive: true);
            }
            throw;
        }
        finally
        {
            File.Delete(download);
        }
    }

    /// <summary>Points <c>current</c> at a staged version, on trial until <see cref="ConfirmHealthy"/> or the deadline.</summary>
    public void Switch(string version, TimeSpan trial)
    {
        if (!Directory.Exists(Path.Combine(Versions, version)))
        {
            throw new InvalidOperationException($"version {version} is not staged");
        }
        var pending = new PendingUpdate(version, CurrentVersion, (time.GetUtcNow() + trial).ToUnixTimeMilliseconds(), 0);
        WritePending(pending);
        PointCurrentAt(version);
    }

    /// <summary>Called by the kiosk as it starts, with its own version: counts the start, and rolls back a failed trial.</summary>
    public StartVerdict OnStart(string runningVersion)
    {
        if (Pending is not { } pending || pending.Version != runningVersion)
        {
            return StartVerdict.Run;
        }
        var started = pending with { Starts = pending.Starts + 1 };
        if (started.Starts > MaxStarts)
        {
            RollBack(started, $"it failed to start {MaxStarts} times");
            return StartVerdict.RolledBack;
        }
        if (time.GetUtcNow().ToUnixTimeMilliseconds() > pending.DeadlineUnixMs)
        {
            RollBack(started, "it did not report healthy in time");
            return StartVerdict.RolledBack;
        }
        WritePending(started);
        return StartVerdict.Trial;
    }

    /// <summary>The version on trial reported healthy (its link to the edge up, its scan loop alive): it stays.</summary>
    public void ConfirmHealthy(string version)
    {
        if (Pending is { } pending && pending.Version == version)
        {
            Record(version, UpdateStage.Healthy, null);
            File.Delete(PendingPath);
            Prune(keep: [version, pending.Previous]);
        }
    }

    /// <summary>
    /// Deletes installed versions but <paramref name="keep"/> (the one now confirmed and the one before it, to go back
    /// to by hand): a kiosk updated every month for years must not fill its data partition. Failed versions go too.
    /// </summary>
    private void Prune(IReadOnlyCollection<string?> keep)
    {
        foreach (var folder in Directory.EnumerateDirectories(Versions))
        {
            if (!keep.Contains(Path.GetFileName(folder)))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>A trial past its deadline is rolled back even if the new version never got to start itself.</summary>
    public bool RollBackIfOverdue()
    {
        if (Pending is not { } pending || time.GetUtcNow().ToUnixTimeMilliseconds() <= pending.DeadlineUnixMs)
        {
            return false;
        }
        RollBack(pending, "it did not report healthy in time");
        return true;
    }

    private void RollBack(PendingUpdate pending, string why)
    {
        var back = pending.Previous is { } previous && Directory.Exists(Path.Combine(Versions, previous)) ? previous : null;
        if (back is not null)
        {
            PointCurrentAt(back);
        }
        else
        {
            // Nothing installed before it: the flashed version (the launcher's fallback) takes over.
            File.Delete(Current);
        }
        Record(pending.Version, UpdateStage.RolledBack, $"{why}; back to {back ?? "the flashed version"}");
        File.Delete(PendingPath);
    }

    // Written beside the old and renamed over it: the service reads one or the other, never neither.
    private void PointCurrentAt(string version) => WriteAtomically(Current, System.Text.Encoding.UTF8.GetBytes(version + "\n"));

    private void WritePending(PendingUpdate pending) =>
        WriteAtomically(PendingPath, JsonSerializer.SerializeToUtf8Bytes(pending, UpdateJson.Default.PendingUpdate));

    private static void WriteAtomically(string path, byte[] bytes)
    {
        var next = path + ".next";
        using (var file = new FileStream(next, FileMode.Create, FileAccess.Write))
        {
            file.Write(bytes);
            // On disk before the rename: a power cut leaves the old file or the new one, not an empty one.
            file.Flush(flushToDisk: true);
        }
        File.Move(next, path, overwrite: true);
    }

    private static async Task DownloadAsync(Stream bundle, string path, UpdateManifest manifest, CancellationToken cancellationToken)
    {
        await using var file = File.Create(path);
        await UpdateSignature.CopyCheckedAsync(bundle, file, manifest, cancellationToken);
    }

    private static async Task UnpackAsync(string archive, string into, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(archive);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            if (UpdateSignature.RefusedEntry(entry.Name, entry.EntryType) is { } refused)
            {
                throw new UpdateRefusedException(UpdateRefusal.UnsafeEntry, $"the bundle holds an entry the kiosk will not unpack: {refused}");
            }
            var target = Path.GetFullPath(Path.Combine(into, entry.Name));
            if (entry.EntryType == TarEntryType.Directory)
            {
                Directory.CreateDirectory(target);
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await entry.ExtractToFileAsync(target, overwrite: false, cancellationToken);
        }
    }

}
