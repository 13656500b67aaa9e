using PassTrack.Edge.Tests.Broker;
using PassTrack.Kiosk.Appliance;

namespace PassTrack.Kiosk.Tests.Appliance;

public sealed class SelfTestTests
{
    // Debian's qemu-user-static; test.sh installs it with the arm64 libc, libstdc++ and libssl it needs (multiarch).
    private const string Qemu = "/usr/bin/qemu-aarch64-static";

    [Fact]
    public void Every_check_passes_on_this_machine()
    {
        using var output = new StringWriter();

        var exitCode = SelfTest.Run(output, TimeProvider.System);

        AssertPassed(exitCode, output.ToString());
    }

    [Fact]
    public async Task The_built_program_runs_its_self_test_from_the_command_line()
    {
        var program = Path.Combine(AppContext.BaseDirectory, "passtrack-kiosk.dll");

        var run = await Cli.RunAsync("dotnet", TimeSpan.FromMinutes(1), program, "--self-test");

        AssertPassed(run.ExitCode, run.Out, run.Err);
    }

    [Fact]
    public async Task The_trimmed_linux_arm64_build_passes_its_self_test_under_qemu()
    {
        Assert.True(File.Exists(Qemu), $"{Qemu} is missing: ./test.sh installs qemu-user-static and the arm64 libraries.");
        var work = Directory.CreateTempSubdirectory("passtrack-arm64-");
        try
        {
            var published = Path.Combine(work.FullName, "publish");
            // Its own artifacts folder: the publish neither races nor rewrites the solution's bin and obj. No node reuse,
            // so no MSBuild or compiler server outlives the test.
            var publish = await Cli.RunAsync("dotnet", TimeSpan.FromMinutes(10),
                "publish", Path.Combine(RepositoryRoot(), "firmware", "PassTrack.Kiosk"), "-r", "linux-arm64", "-c", "Release",
                "-o", published, "--artifacts-path", Path.Combine(work.FullName, "artifacts"),
                "-nodeReuse:false", "-p:UseSharedCompilation=false", "-nologo");
            Assert.True(publish.ExitCode == 0, $"publish failed: {publish}");
            Assert.DoesNotContain("warning IL", publish.Out, StringComparison.Ordinal);

            var run = await Cli.RunAsync(Qemu, TimeSpan.FromMinutes(5), Path.Combine(published, "passtrack-kiosk"), "--self-test");

            AssertPassed(run.ExitCode, run.Out, run.Err);
            Assert.Contains("linux-arm64, Arm64", run.Out, StringComparison.Ordinal);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static void AssertPassed(int exitCode, string output, string error = "")
    {
        var context = $"exit {exitCode}\n{output}\n{error}";
        var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.True(exitCode == 0, context);
        Assert.True(lines.Length > 0 && lines[^1] == SelfTest.Passed, context);
        foreach (var check in SelfTest.CheckNames)
        {
            Assert.True(lines.Any(l => l.StartsWith($"PASS {check} ", StringComparison.Ordinal)), $"no PASS line for {check}: {context}");
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PassTrack.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No PassTrack.sln above {AppContext.BaseDirectory}.");
    }
}
