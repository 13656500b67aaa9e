using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace PassTrack.Kiosk.Hardware.Scanners;

/// <summary>
/// What both scanners do with their background reader: run it until the caller stops listening or the scanner is
/// disposed, hand on every code it finds, and wait for it to finish before the enumeration ends.
/// </summary>
internal static class CodePump
{
    public static async IAsyncEnumerable<ScannedCode> RunAsync(
        Func<ChannelWriter<ScannedCode>, CancellationToken, Task> reader,
        CancellationToken disposed,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var codes = Channel.CreateUnbounded<ScannedCode>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, disposed);
        var reading = reader(codes.Writer, stop.Token);
        try
        {
            await foreach (var code in codes.Reader.ReadAllAsync(stop.Token))
            {
                yield return code;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await reading;
        }
    }
}
