namespace PassTrack.Provision;

/// <summary><c>passtrack-provision</c>: writes kiosks' boot-partition files for district IT; see firmware/README.md.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return await new Cli(Console.Out, Console.Error).RunAsync(args, cancel.Token);
    }
}
