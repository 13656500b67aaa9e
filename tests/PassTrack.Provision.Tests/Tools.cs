using System.Diagnostics;
using System.Text.Json;

namespace PassTrack.Provision.Tests;

/// <summary>Runs the real tools (cloud-init, bash, python3's YAML, tar, the built tool) to exit, with a timeout.</summary>
internal static class Tools
{
    public sealed record Result(int ExitCode, string Out, string Err)
    {
        public override string ToString() => $"exit {ExitCode}; out: {Out}; err: {Err}";
    }

    public static Task<Result> RunAsync(string file, params string[] args) => RunAsync(new Dictionary<string, string>(), file, args);

    /// <summary>With <paramref name="environment"/> added to the test's own.</summary>
    public static async Task<Result> RunAsync(IReadOnlyDictionary<string, string> environment, string file, params string[] args)
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
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in time.");
        }
        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>cloud-init comes from Debian (test.sh installs it).</summary>
    public static string CloudInit() =>
        new[] { "/usr/bin/cloud-init", "/usr/local/bin/cloud-init" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("cloud-init is not installed: run ./test.sh, which installs Debian's cloud-init.");

    /// <summary>A YAML file as PyYAML (cloud-init's own parser) reads it, as JSON.</summary>
    public static async Task<JsonElement> ParseYamlAsync(string path)
    {
        var result = await RunAsync("python3", "-c",
            "import sys, json, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1], encoding='utf-8'))))", path);
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.Out).RootElement.Clone();
    }
}

/// <summary>A temporary folder, removed after the test.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("passtrack-provision-test-").FullName;

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS's temp cleaning.
        }
    }
}

/// <summary>One district update key pair for a test class, as the files district IT would have.</summary>
public sealed class UpdateKeyFiles : IDisposable
{
    private readonly TempDir dir = new();

    public UpdateKeyFiles()
    {
        (PublicPem, PrivatePem) = UpdateKeys.Generate();
        File.WriteAllText(PublicPath, PublicPem);
        File.WriteAllText(PrivatePath, PrivatePem);
    }

    public string PublicPem { get; }

    public string PrivatePem { get; }

    public string PublicPath => dir[UpdateKeys.PublicFileName];

    public string PrivatePath => dir[UpdateKeys.PrivateFileName];

    public void Dispose() => dir.Dispose();
}
