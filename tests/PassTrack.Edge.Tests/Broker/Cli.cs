using System.Diagnostics;
using System.Text;

namespace PassTrack.Edge.Tests.Broker;

/// <summary>Runs a command-line tool (Mosquitto's clients) to completion and returns what it said.</summary>
internal static class Cli
{
    public sealed record Result(int ExitCode, string Out, string Err)
    {
        public override string ToString() => $"exit {ExitCode}; out: {Out}; err: {Err}";
    }

    public static Task<Result> RunAsync(string file, params string[] args) => RunAsync(file, TimeSpan.FromSeconds(30), args);

    /// <summary>Runs it with a longer limit (a publish, an emulated program); it is killed, tree and all, past it.</summary>
    public static async Task<Result> RunAsync(string file, TimeSpan limit, params string[] args)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in time.");
        }
        return new Result(process.ExitCode, (await output).Trim(), (await error).Trim());
    }

    /// <summary>Where Debian puts a Mosquitto program (the broker in /usr/sbin, its clients in /usr/bin).</summary>
    public static string Mosquitto(string program) =>
        new[] { "/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin" }.Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists) ?? program;

    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
