using System.Text;

namespace PassTrack.Provision;

/// <summary>What one kiosk's folder got, and what district IT still has to do by hand.</summary>
internal sealed record Provisioned(string Folder, IReadOnlyList<string> Files, IReadOnlyList<string> Notes);

/// <summary>Writes one kiosk's boot-partition files into a folder (a mounted boot partition or a staging folder).</summary>
internal static class Provisioner
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Readable = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static async Task<Provisioned> WriteAsync(Device device, DistrictSettings district, string folder, string? bundle, CancellationToken cancel)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        var notes = new List<string>();
        foreach (var file in BootFiles.For(device, district, BootFiles.NewSecret()))
        {
            await WriteAsync(Path.Combine(folder, file.RelativePath), file.Content, file.Secret, cancel);
            written.Add(file.RelativePath);
        }
        var bundleTarget = Path.Combine(folder, KioskFiles.BundleOnBoot);
        if (bundle is not null)
        {
            File.Copy(bundle, bundleTarget, overwrite: true);
            written.Add(KioskFiles.BundleOnBoot);
        }
        else if (!File.Exists(bundleTarget))
        {
            notes.Add($"no bundle given: copy the kiosk's linux-arm64 build (tar.gz) to {KioskFiles.BundleOnBoot} on the boot partition before first boot");
        }
        if (district.Os == OsRelease.Bookworm)
        {
            var cmdline = Path.Combine(folder, "cmdline.txt");
            if (File.Exists(cmdline))
            {
                var line = (await File.ReadAllTextAsync(cmdline, cancel)).TrimEnd();
                if (!line.Contains("systemd.run=", StringComparison.Ordinal))
                {
                    // cmdline.txt is one line; the words go at its end.
                    await File.WriteAllTextAsync(cmdline, line + " " + BootFiles.BookwormCmdline + "\n", cancel);
                }
                written.Add("cmdline.txt (first run added)");
            }
            else
            {
                notes.Add($"append to the end of the single line in cmdline.txt, after a space: {BootFiles.BookwormCmdline}");
            }
        }
        return new Provisioned(folder, written, notes);
    }

    /// <summary>A secret file is created owner-only, never readable for a moment, and kept so if it existed.</summary>
    private static async Task WriteAsync(string path, string content, bool secret, CancellationToken cancel)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var mode = secret ? OwnerOnly : Readable;
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }
        await using (var stream = new FileStream(path, options))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(content), cancel);
        }
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }
}
