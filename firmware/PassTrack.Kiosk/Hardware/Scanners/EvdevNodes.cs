using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Microsoft.Win32.SafeHandles;

namespace PassTrack.Kiosk.Hardware.Scanners;

/// <summary>Where a scanner's key events come from: the device nodes to read, and opening one.</summary>
internal interface IKeyboardNodes
{
    IReadOnlyList<string> Find();

    Stream Open(string path);
}

/// <summary>The real /dev/input: the configured node, or every by-id keyboard node whose name matches the pattern.</summary>
internal sealed class EvdevNodes(ScannerOptions options, string byIdDirectory = "/dev/input/by-id") : IKeyboardNodes
{
    private readonly Regex? _pattern = string.IsNullOrWhiteSpace(options.NamePattern)
        ? null
        : new Regex(options.NamePattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    public IReadOnlyList<string> Find()
    {
        if (!string.IsNullOrWhiteSpace(options.Path))
        {
            return File.Exists(options.Path) ? [options.Path] : [];
        }

        if (!Directory.Exists(byIdDirectory))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(byIdDirectory, "*-event-kbd")
            .Where(p => _pattern is null || _pattern.IsMatch(Path.GetFileName(p)))
            .Order(StringComparer.Ordinal)];
    }

    public Stream Open(string path) => new EvdevStream(path);
}

/// <summary>
/// An evdev node opened for reading and grabbed, so the scanner's keystrokes reach only the kiosk (not a console or a
/// desktop). Disposing revokes the descriptor first: that wakes a read blocked in the kernel, which closing alone does not.
/// </summary>
internal sealed partial class EvdevStream : FileStream
{
    private const nuint GrabRequest = 0x40044590;   // EVIOCGRAB = _IOW('E', 0x90, int)
    private const nuint RevokeRequest = 0x40044591; // EVIOCREVOKE = _IOW('E', 0x91, int)

    public EvdevStream(string path)
        : base(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0)
    {
        if (Ioctl(SafeFileHandle, GrabRequest, 1) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            Dispose();
            throw new IOException(
                $"Could not grab {path} (EVIOCGRAB failed, errno {errno}: {Marshal.GetPInvokeErrorMessage(errno)}).");
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !SafeFileHandle.IsClosed)
        {
            _ = Ioctl(SafeFileHandle, RevokeRequest, 0);
        }

        base.Dispose(disposing);
    }

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(SafeFileHandle fd, nuint request, nint argument);
}
