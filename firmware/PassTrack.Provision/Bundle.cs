using System.Formats.Tar;
using System.IO.Compression;

namespace PassTrack.Provision;

/// <summary>The kiosk's linux-arm64 self-contained build, as the one tar.gz first boot unpacks.</summary>
internal static class Bundle
{
    public const string Executable = "passtrack-kiosk";

    /// <summary>A folder is packed into <paramref name="workDir"/>; a tar.gz is checked and used as it is.</summary>
    public static async Task<string> PrepareAsync(string source, string workDir, CancellationToken cancel)
    {
        if (Directory.Exists(source))
        {
            if (!File.Exists(Path.Combine(source, Executable)))
            {
                throw new BundleException($"bundle folder {source} has no {Executable}: give the folder dotnet publish -r linux-arm64 wrote");
            }
            Directory.CreateDirectory(workDir);
            var packed = Path.Combine(workDir, Path.GetFileName(KioskFiles.BundleOnBoot));
            await using (var file = File.Create(packed))
            await using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
            {
                await TarFile.CreateFromDirectoryAsync(source, gzip, includeBaseDirectory: false, cancel);
            }
            return packed;
        }
        if (!File.Exists(source))
        {
            throw new BundleException($"bundle {source} does not exist");
        }
        try
        {
            await using var file = File.OpenRead(source);
            await using var gzip = new GZipStream(file, CompressionMode.Decompress);
            await using var tar = new TarReader(gzip);
            while (await tar.GetNextEntryAsync(copyData: false, cancel) is { } entry)
            {
                if (entry.Name is Executable or "./" + Executable)
                {
                    return source;
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new BundleException($"bundle {source} is not a tar.gz ({e.Message})");
        }
        throw new BundleException($"bundle {source} has no {Executable} at its top level");
    }

    /// <summary>
    /// An update is unpacked by the kiosk itself, which takes only plain files and folders inside the version's folder
    /// and keeps each file's mode: checked here once, rather than refused by every kiosk, or unpacked with a kiosk that
    /// its launcher cannot run (first boot's chmod does not happen for an update).
    /// </summary>
    public static async Task CheckUpdateAsync(string bundle, CancellationToken cancel)
    {
        UnixFileMode? kioskMode = null;
        try
        {
            await using var file = File.OpenRead(bundle);
            await using var gzip = new GZipStream(file, CompressionMode.Decompress);
            await using var tar = new TarReader(gzip);
            while (await tar.GetNextEntryAsync(copyData: false, cancel) is { } entry)
            {
                if (PassTrack.Contracts.Updates.UpdateSignature.RefusedEntry(entry.Name, entry.EntryType) is { } refused)
                {
                    throw new BundleException($"bundle {bundle}: {refused}");
                }
                if (entry.Name is Executable or "./" + Executable)
                {
                    kioskMode = entry.Mode;
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new BundleException($"bundle {bundle} is not a tar.gz ({e.Message})");
        }
        if (kioskMode is not { } mode)
        {
            throw new BundleException($"bundle {bundle} has no {Executable} at its top level");
        }
        if (!mode.HasFlag(UnixFileMode.UserExecute))
        {
            throw new BundleException($"{Executable} in bundle {bundle} is not executable (mode {Convert.ToString((int)mode, 8)}): "
                + $"kiosks could not run it; chmod +x it in the publish folder and bundle again");
        }
    }
}

internal sealed class BundleException(string message) : Exception(message);
