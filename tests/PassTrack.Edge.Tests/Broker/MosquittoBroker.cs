using System.Diagnostics;
using System.Globalization;
using PassTrack.Contracts.Protocol;

namespace PassTrack.Edge.Tests.Broker;

/// <summary>
/// A Mosquitto of the test's own: a free loopback port, a generated configuration, password file and ACL in a temp
/// folder (the setup docs/protocol.md describes), started and stopped by the test.
/// </summary>
internal sealed class MosquittoBroker : IAsyncDisposable
{
    public const string EdgeUser = "passtrack-edge";
    public const string EdgePassword = "edge-broker-password-0123";

    private readonly Dictionary<string, string> _users;
    private readonly string _acl;
    private readonly int _maxPacket;
    private Process? _process;

    private MosquittoBroker(Dictionary<string, string> users, string acl, int maxPacket)
    {
        _users = users;
        _acl = acl;
        _maxPacket = maxPacket;
        Folder = Directory.CreateTempSubdirectory("passtrack-mosquitto-").FullName;
        Port = EdgeHost.FreePort();
    }

    public string Folder { get; }

    public int Port { get; }

    /// <summary>Starts Mosquitto with the edge's account and one per kiosk (id to secret).</summary>
    public static async Task<MosquittoBroker> StartAsync(IReadOnlyDictionary<string, string> kiosks)
    {
        var users = new Dictionary<string, string>(kiosks, StringComparer.Ordinal) { [EdgeUser] = EdgePassword };
        var k = Topics.KiosksRoot;
        return await StartAsync(users, $"""
            user {EdgeUser}
            topic readwrite {k}#

            pattern write {k}%u/scan
            pattern write {k}%u/choose
            pattern write {k}%u/staff
            pattern write {k}%u/status
            pattern write {k}%u/telemetry
            pattern write {k}%u/update
            pattern read {k}%u/reply
            pattern read {k}%u/command

            """, maxPacket: 8192);
    }

    /// <summary>Starts Mosquitto with these accounts (user to password) and this ACL.</summary>
    public static async Task<MosquittoBroker> StartAsync(IReadOnlyDictionary<string, string> users, string acl, int maxPacket)
    {
        var broker = new MosquittoBroker(new Dictionary<string, string>(users, StringComparer.Ordinal), acl, maxPacket);
        await broker.WriteConfigurationAsync();
        await broker.RunAsync();
        return broker;
    }

    /// <summary>Starts it again on the same port (after <see cref="StopAsync"/>).</summary>
    public Task RestartAsync() => RunAsync();

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        _process?.Dispose();
        _process = null;
    }

    private async Task WriteConfigurationAsync()
    {
        var passwords = Path.Combine(Folder, "passwd");
        await File.WriteAllLinesAsync(passwords, _users.Select(u => $"{u.Key}:{u.Value}"));
        var hashed = await Cli.RunAsync(Cli.Mosquitto("mosquitto_passwd"), "-U", passwords);
        Assert.True(hashed.ExitCode == 0, hashed.ToString());

        await File.WriteAllTextAsync(Path.Combine(Folder, "acl"), _acl);
        await File.WriteAllTextAsync(Path.Combine(Folder, "mosquitto.conf"), string.Create(CultureInfo.InvariantCulture, $"""
            per_listener_settings false
            listener {Port} 127.0.0.1
            allow_anonymous false
            password_file {passwords}
            acl_file {Path.Combine(Folder, "acl")}
            use_username_as_clientid true
            max_packet_size {_maxPacket}
            max_inflight_messages 100
            persistence false
            log_dest stderr
            log_type error
            log_type warning
            log_type notice
            log_type information
            user root

            """));
    }

    private async Task RunAsync()
    {
        var info = new ProcessStartInfo(Cli.Mosquitto("mosquitto"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Path.Combine(Folder, "mosquitto.conf"));
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new List<string>();
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            lock (log)
            {
                log.Add(e.Data);
            }
            if (e.Data.Contains(" running", StringComparison.Ordinal))
            {
                running.TrySetResult();
            }
        };
        process.Exited += (_, _) => running.TrySetException(new InvalidOperationException($"Mosquitto exited: {string.Join('\n', log)}"));
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;
        await running.Task.WaitAsync(TimeSpan.FromSeconds(15));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
