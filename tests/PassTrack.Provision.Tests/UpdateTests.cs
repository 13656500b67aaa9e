using PassTrack.Contracts.Updates;
using PassTrack.Kiosk.Updates;
using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace PassTrack.Provision.Tests;

/// <summary>Signed updates from the provisioning side: the key on the card, the launcher, keygen and bundle.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class UpdateTests(UpdateKeyFiles keys) : IClassFixture<UpdateKeyFiles>
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Readable = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode Executable = Readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async Task<(int Exit, string Out, string Err)> RunCliAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await new Cli(output, error).RunAsync(args, Cancel);
        return (exit, output.ToString(), error.ToString());
    }

    private static string[] DeviceArgs(string outDir, string updateKey, params string[] more) =>
        ["device", "--id", "kiosk-b106", "--edge", "10.0.0.5", "--token", "district-token-1", "--update-key", updateKey, "--out", outDir, .. more];

    private static async Task<Dictionary<string, System.Text.Json.JsonElement>> WriteFilesAsync(string userData) =>
        (await Tools.ParseYamlAsync(userData)).GetProperty("write_files").EnumerateArray().ToDictionary(f => f.GetProperty("path").GetString()!);

    /// <summary>A stand-in for the kiosk's publish folder: an executable passtrack-kiosk and a library beside it.</summary>
    private static async Task<string> PublishFolderAsync(TempDir dir, string name = "publish")
    {
        var folder = Directory.CreateDirectory(dir[name]).FullName;
        var kiosk = Path.Combine(folder, "passtrack-kiosk");
        await File.WriteAllTextAsync(kiosk, "#!/bin/sh\necho \"kiosk from the bundle $*\"\n", Cancel);
        File.SetUnixFileMode(kiosk, Executable);
        Directory.CreateDirectory(Path.Combine(folder, "runtimes"));
        await File.WriteAllTextAsync(Path.Combine(folder, "runtimes", "libSystem.Native.so"), "x", Cancel);
        return folder;
    }

    [Fact]
    public async Task Trixie_user_data_carries_the_update_key_and_the_launcher_and_passes_the_schema()
    {
        using var dir = new TempDir();
        var (exit, _, err) = await RunCliAsync(DeviceArgs(dir.Path, keys.PublicPath, "--edge-http-port", "8443"));
        Assert.True(exit == Cli.Ok, err);

        var schema = await Tools.RunAsync(Tools.CloudInit(), "schema", "--config-file", dir["user-data"]);
        Assert.True(schema.ExitCode == 0, schema.ToString());

        var files = await WriteFilesAsync(dir["user-data"]);
        var key = files["/etc/passtrack/update-key.pem"];
        Assert.Equal("root:root", key.GetProperty("owner").GetString());
        Assert.Equal("0644", key.GetProperty("permissions").GetString());
        Assert.Equal(keys.PublicPem, key.GetProperty("content").GetString());
        Assert.DoesNotContain("PRIVATE", await File.ReadAllTextAsync(dir["user-data"], Cancel), StringComparison.Ordinal);

        var launcher = files[KioskFiles.LauncherStagePath];
        Assert.Equal("root:root", launcher.GetProperty("owner").GetString());
        Assert.Equal("0755", launcher.GetProperty("permissions").GetString());
        Assert.Equal(KioskFiles.Launcher, launcher.GetProperty("content").GetString());
        Assert.StartsWith("#!/bin/sh\n", KioskFiles.Launcher, StringComparison.Ordinal);
        Assert.Contains("install -m 0755 " + KioskFiles.LauncherStagePath, files[KioskFiles.FirstBootPath].GetProperty("content").GetString(), StringComparison.Ordinal);

        var updates = JsonNode.Parse(files["/etc/passtrack/kiosk.json"].GetProperty("content").GetString()!)!["Kiosk"]!["Updates"]!;
        Assert.Equal(8443, updates["EdgeHttpPort"]!.GetValue<int>());
        Assert.Equal("/etc/passtrack/update-key.pem", updates["PublicKeyPath"]!.GetValue<string>());
        Assert.Equal("/var/lib/passtrack", updates["Root"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_edge_http_port_defaults_to_8080_and_a_bad_one_is_refused()
    {
        using var dir = new TempDir();
        var (exit, _, err) = await RunCliAsync(DeviceArgs(dir.Path, keys.PublicPath));
        Assert.True(exit == Cli.Ok, err);
        var files = await WriteFilesAsync(dir["user-data"]);
        var config = JsonNode.Parse(files["/etc/passtrack/kiosk.json"].GetProperty("content").GetString()!)!["Kiosk"]!;
        Assert.Equal(8080, config["Updates"]!["EdgeHttpPort"]!.GetValue<int>());
        Assert.Equal(1883, config["Edge"]!["Port"]!.GetValue<int>());

        var refused = await RunCliAsync(DeviceArgs(dir["other"], keys.PublicPath, "--edge-http-port", "70000"));
        Assert.Equal(Cli.Usage, refused.Exit);
        Assert.Contains("edge HTTP port '70000' is not a number from 1 to 65535", refused.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir["other"]));
    }

    [Fact]
    public async Task Bookworm_firstrun_writes_the_update_key_and_the_launcher()
    {
        using var dir = new TempDir();
        var (exit, _, err) = await RunCliAsync(DeviceArgs(dir.Path, keys.PublicPath, "--os", "bookworm"));
        Assert.True(exit == Cli.Ok, err);

        var syntax = await Tools.RunAsync("bash", "-n", dir["firstrun.sh"]);
        Assert.True(syntax.ExitCode == 0, syntax.ToString());
        var script = await File.ReadAllTextAsync(dir["firstrun.sh"], Cancel);
        Assert.Contains(Shell.WriteFile("/etc/passtrack/update-key.pem", keys.PublicPem, "root:root", "0644"), script, StringComparison.Ordinal);
        Assert.Contains(Shell.WriteFile(KioskFiles.LauncherStagePath, KioskFiles.Launcher, "root:root", "0755"), script, StringComparison.Ordinal);
        Assert.Contains("\"EdgeHttpPort\": 8080", script, StringComparison.Ordinal);
        // Both before the shared first-boot steps that install the launcher from its staging place.
        Assert.True(script.IndexOf(KioskFiles.LauncherStagePath, StringComparison.Ordinal) < script.IndexOf("if ! bash " + KioskFiles.FirstBootPath, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_update_key_written_by_firstrun_is_the_districts_key()
    {
        // The here-document itself, run by bash into a temporary /etc: the key arrives byte for byte.
        using var dir = new TempDir();
        var target = dir["etc/passtrack/update-key.pem"];
        var snippet = Shell.WriteFile(target, keys.PublicPem, "root:root", "0644")
            .Replace("chown root:root", "true", StringComparison.Ordinal);
        var result = await Tools.RunAsync("bash", "-c", snippet);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(keys.PublicPem, await File.ReadAllTextAsync(target, Cancel));
        Assert.Equal(Readable, File.GetUnixFileMode(target));
    }

    [Theory]
    [InlineData("device", "trixie")]
    [InlineData("device", "bookworm")]
    [InlineData("batch", "trixie")]
    public async Task A_private_key_as_the_update_key_is_refused_and_nothing_is_written(string command, string os)
    {
        using var dir = new TempDir();
        var outDir = dir["boot"];
        string[] args = command == "device"
            ? DeviceArgs(outDir, keys.PrivatePath, "--os", os)
            : ["batch", "--csv", await CsvAsync(dir), "--out", outDir, "--edge", "10.0.0.5", "--token", "t", "--update-key", keys.PrivatePath, "--os", os];

        var (exit, output, err) = await RunCliAsync(args);

        Assert.Equal(Cli.Usage, exit);
        Assert.Contains($"{keys.PrivatePath} holds a PRIVATE key", err, StringComparison.Ordinal);
        Assert.Contains("the private key must never go onto a kiosk", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir));
        Assert.DoesNotContain("BEGIN", output + err, StringComparison.Ordinal);

        static async Task<string> CsvAsync(TempDir dir)
        {
            await File.WriteAllTextAsync(dir["devices.csv"], "device_id,hostname,network,ssid,psk,country\nkiosk-a1,,ethernet,,,\n", Cancel);
            return dir["devices.csv"];
        }
    }

    [Fact]
    public async Task An_update_key_that_is_no_p256_public_key_is_refused()
    {
        using var dir = new TempDir();
        using var rsa = RSA.Create(2048);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var legacy = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var cases = new (string Name, string Content, string Problem)[]
        {
            ("rsa.pem", rsa.ExportSubjectPublicKeyInfoPem(), "is not an ECDSA P-256 public key"),
            ("p384.pem", p384.ExportSubjectPublicKeyInfoPem(), "on another curve"),
            ("ec-private.pem", legacy.ExportECPrivateKeyPem(), "holds a PRIVATE key"),
            ("both.pem", keys.PublicPem + keys.PrivatePem, "holds a PRIVATE key"),
            ("garbage.pem", "not a key\n", "is not one PEM \"PUBLIC KEY\""),
        };
        foreach (var (name, content, problem) in cases)
        {
            await File.WriteAllTextAsync(dir[name], content, Cancel);
            var (exit, _, err) = await RunCliAsync(DeviceArgs(dir["boot"], dir[name]));
            Assert.Equal(Cli.Usage, exit);
            Assert.Contains(problem, err, StringComparison.Ordinal);
            Assert.False(Directory.Exists(dir["boot"]), name);
        }

        var missing = await RunCliAsync(["device", "--id", "kiosk-b106", "--edge", "10.0.0.5", "--token", "t", "--out", dir["boot"]]);
        Assert.Equal(Cli.Usage, missing.Exit);
        Assert.Contains("--update-key PATH is missing", missing.Err, StringComparison.Ordinal);
        var absent = await RunCliAsync(DeviceArgs(dir["boot"], dir["nothing.pem"]));
        Assert.Equal(Cli.Usage, absent.Exit);
        Assert.Contains("does not exist", absent.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keygen_writes_a_key_pair_the_private_half_owner_only_and_never_overwrites()
    {
        using var dir = new TempDir();
        var outDir = dir["keys"];
        var (exit, output, err) = await RunCliAsync("keygen", "--out", outDir);
        Assert.True(exit == Cli.Ok, err);

        var publicPath = Path.Combine(outDir, "update-key.pem");
        var privatePath = Path.Combine(outDir, "update-key.private.pem");
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(privatePath));
        Assert.Equal(Readable, File.GetUnixFileMode(publicPath));
        var publicPem = await File.ReadAllTextAsync(publicPath, Cancel);
        var privatePem = await File.ReadAllTextAsync(privatePath, Cancel);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----\n", publicPem, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----\n", privatePem, StringComparison.Ordinal);
        Assert.DoesNotContain(privatePem.Split('\n')[1], output, StringComparison.Ordinal);

        // The two halves belong together, and the public half is accepted as a kiosk's --update-key.
        var signature = UpdateSignature.Sign("{}"u8.ToArray(), privatePem);
        using (var check = ECDsa.Create())
        {
            check.ImportFromPem(publicPem);
            Assert.True(check.VerifyData("{}"u8.ToArray(), signature, HashAlgorithmName.SHA256));
        }
        Assert.Equal(Cli.Ok, (await RunCliAsync(DeviceArgs(dir["boot"], publicPath))).Exit);

        var again = await RunCliAsync("keygen", "--out", outDir);
        Assert.Equal(Cli.Usage, again.Exit);
        Assert.Contains("already exists: keygen never overwrites a key", again.Err, StringComparison.Ordinal);
        Assert.Equal(publicPem, await File.ReadAllTextAsync(publicPath, Cancel));
        Assert.Equal(privatePem, await File.ReadAllTextAsync(privatePath, Cancel));

        // Either half alone is enough to refuse.
        File.Delete(publicPath);
        Assert.Equal(Cli.Usage, (await RunCliAsync("keygen", "--out", outDir)).Exit);
        Assert.False(File.Exists(publicPath));
        Assert.Equal(privatePem, await File.ReadAllTextAsync(privatePath, Cancel));
    }

    [Fact]
    public async Task Keygen_then_bundle_gives_a_manifest_that_verifies_and_pins_the_tar_gz()
    {
        using var dir = new TempDir();
        Assert.Equal(Cli.Ok, (await RunCliAsync("keygen", "--out", dir["keys"])).Exit);
        var publicPem = await File.ReadAllTextAsync(dir["keys/update-key.pem"], Cancel);
        var publish = await PublishFolderAsync(dir);
        var outDir = dir["signed"];

        var before = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        var (exit, output, err) = await RunCliAsync("bundle", "--from", publish, "--version", "1.4.0+b7", "--key", dir["keys/update-key.private.pem"], "--out", outDir);
        var after = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.True(exit == Cli.Ok, err);

        var tarGz = Path.Combine(outDir, "1.4.0+b7.tar.gz");
        var manifestBytes = await File.ReadAllBytesAsync(Path.Combine(outDir, "1.4.0+b7.manifest.json"), Cancel);
        var signature = await File.ReadAllBytesAsync(Path.Combine(outDir, "1.4.0+b7.manifest.sig"), Cancel);
        var manifest = UpdateSignature.Verify(manifestBytes, signature, publicPem);
        Assert.Equal("1.4.0+b7", manifest.Version);
        var bundle = await File.ReadAllBytesAsync(tarGz, Cancel);
        Assert.Equal(bundle.LongLength, manifest.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bundle)), manifest.Sha256);
        Assert.InRange(manifest.CreatedAtUnixMs, before, after);

        // Another district's key does not verify it.
        Assert.Throws<PassTrack.Contracts.Updates.UpdateRefusedException>(() => UpdateSignature.Verify(manifestBytes, signature, keys.PublicPem));

        // The executable keeps its mode in the tar: an update gets no first-boot chmod.
        await using (var file = File.OpenRead(tarGz))
        await using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        await using (var tar = new TarReader(gzip))
        {
            var modes = new Dictionary<string, UnixFileMode>();
            while (await tar.GetNextEntryAsync(copyData: false, Cancel) is { } entry)
            {
                modes[entry.Name.TrimEnd('/')] = entry.Mode;
            }
            Assert.True(modes["passtrack-kiosk"].HasFlag(UnixFileMode.UserExecute), modes["passtrack-kiosk"].ToString());
            Assert.Contains("runtimes/libSystem.Native.so", modes.Keys);
        }

        // The printed commands: the manifest upload's body is the manifest and signature, then the bundle itself.
        var curls = output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("curl ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, curls.Length);
        Assert.All(curls, c => Assert.Contains("-H \"X-Api-Key: $API_KEY\"", c, StringComparison.Ordinal));
        Assert.EndsWith("\"$EDGE/api/updates/1.4.0+b7/manifest\"", curls[0], StringComparison.Ordinal);
        Assert.EndsWith("\"$EDGE/api/updates/1.4.0+b7/bundle\"", curls[1], StringComparison.Ordinal);
        var body = JsonNode.Parse(curls[0].Split('\'')[3])!;
        Assert.Equal(manifestBytes, Convert.FromBase64String(body["manifest"]!.GetValue<string>()));
        Assert.Equal(signature, Convert.FromBase64String(body["signature"]!.GetValue<string>()));
        Assert.Contains($"-T {Shell.Quote(tarGz)}", curls[1], StringComparison.Ordinal);
        Assert.Contains("-H 'Content-Type: application/octet-stream'", curls[1], StringComparison.Ordinal);

        // The curl commands are one line each for bash: parsed, they are the words intended.
        var words = await Tools.RunAsync("bash", "-c", "API_KEY=k EDGE=http://edge:8080; set -- " + curls[0]["curl ".Length..] + "; printf '%s\\n' \"$@\"");
        Assert.True(words.ExitCode == 0, words.ToString());
        Assert.Contains("X-Api-Key: k", words.Out.Split('\n'));
        Assert.Contains("http://edge:8080/api/updates/1.4.0+b7/manifest", words.Out.Split('\n'));
    }

    [Fact]
    public async Task A_signed_bundle_installs_on_the_kiosk_and_the_launcher_runs_it()
    {
        using var dir = new TempDir();
        var publish = await PublishFolderAsync(dir);
        var (exit, _, err) = await RunCliAsync("bundle", "--from", publish, "--version", "2.0.0", "--key", keys.PrivatePath, "--out", dir["signed"]);
        Assert.True(exit == Cli.Ok, err);

        // The kiosk's own update store, as on the data partition: verify, unpack, switch.
        var state = Directory.CreateDirectory(dir["state"]).FullName;
        var store = new UpdateStore(state, keys.PublicPem, TimeProvider.System);
        var verified = store.Verify(await File.ReadAllBytesAsync(dir["signed/2.0.0.manifest.json"], Cancel), await File.ReadAllBytesAsync(dir["signed/2.0.0.manifest.sig"], Cancel));
        await using (var bundle = File.OpenRead(dir["signed/2.0.0.tar.gz"]))
        {
            await store.StageAsync(bundle, verified, Cancel);
        }
        store.Switch("2.0.0", TimeSpan.FromMinutes(5));

        var launcher = await LauncherAsync(dir);
        var baseDir = await KioskAsync(dir, "base", "flashed");
        var run = await Tools.RunAsync(new Dictionary<string, string> { ["PASSTRACK_STATE"] = state, ["PASSTRACK_BASE"] = baseDir }, "sh", launcher, "--flag");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("kiosk from the bundle --flag\n", run.Out);
    }

    [Theory]
    [InlineData("2.1.0\n", "version 2.1.0")]
    [InlineData("2.1.0", "version 2.1.0")]
    [InlineData(null, "flashed")]
    [InlineData("", "flashed")]
    [InlineData("9.9.9\n", "flashed")]
    [InlineData("not-executable\n", "flashed")]
    [InlineData("../x\n", "flashed")]
    [InlineData("2.1.0/../../x\n", "flashed")]
    [InlineData(".\n", "flashed")]
    [InlineData("$(id)\n", "flashed")]
    public async Task The_launcher_runs_the_current_version_only_when_it_is_safe_and_there(string? current, string expected)
    {
        using var dir = new TempDir();
        var launcher = await LauncherAsync(dir);
        var baseDir = await KioskAsync(dir, "base", "flashed");
        var state = dir["state"];
        await KioskAsync(dir, "state/versions/2.1.0", "version 2.1.0");
        // Executables where "../x" and "2.1.0/../../x" lead, so only the launcher's own check keeps them from running.
        await KioskAsync(dir, "state/x", "escaped");
        var notExecutable = await KioskAsync(dir, "state/versions/not-executable", "not executable");
        File.SetUnixFileMode(Path.Combine(notExecutable, "passtrack-kiosk"), Readable);
        if (current is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(state, "current"), current, Cancel);
        }

        var run = await Tools.RunAsync(new Dictionary<string, string> { ["PASSTRACK_STATE"] = state, ["PASSTRACK_BASE"] = baseDir }, "sh", launcher, "--a", "b c");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal($"{expected}: --a|b c|\n", run.Out);
    }

    [Fact]
    public async Task The_launcher_is_valid_sh_and_exec_keeps_the_pid()
    {
        using var dir = new TempDir();
        var launcher = await LauncherAsync(dir);
        var syntax = await Tools.RunAsync("sh", "-n", launcher);
        Assert.True(syntax.ExitCode == 0, syntax.ToString());

        // systemd's notify and watchdog need the kiosk to be the process the unit started: the launcher execs it.
        var baseDir = Directory.CreateDirectory(dir["base"]).FullName;
        var kiosk = Path.Combine(baseDir, "passtrack-kiosk");
        await File.WriteAllTextAsync(kiosk, "#!/bin/sh\necho \"$$\"\n", Cancel);
        File.SetUnixFileMode(kiosk, Executable);
        var run = await Tools.RunAsync(new Dictionary<string, string> { ["PASSTRACK_STATE"] = dir["none"], ["PASSTRACK_BASE"] = baseDir },
            "sh", "-c", "echo \"$$\"; exec sh \"$1\"", "sh", launcher);
        Assert.True(run.ExitCode == 0, run.ToString());
        var pids = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, pids.Length);
        Assert.Equal(pids[0], pids[1]);
    }

    [Theory]
    [InlineData("../x", "is not a version")]
    [InlineData(".hidden", "is not a version")]
    [InlineData("1.0/2", "is not a version")]
    [InlineData("", "is not a version")]
    public async Task Bundle_refuses_an_unsafe_version(string version, string problem)
    {
        using var dir = new TempDir();
        var publish = await PublishFolderAsync(dir);
        var (exit, _, err) = await RunCliAsync("bundle", "--from", publish, "--version", version, "--key", keys.PrivatePath, "--out", dir["signed"]);
        Assert.Equal(Cli.Usage, exit);
        Assert.Contains(problem, err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir["signed"]));
    }

    [Fact]
    public async Task Bundle_refuses_a_key_that_is_no_private_p256_key()
    {
        using var dir = new TempDir();
        var publish = await PublishFolderAsync(dir);
        using var rsa = RSA.Create(2048);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        await File.WriteAllTextAsync(dir["rsa.pem"], rsa.ExportPkcs8PrivateKeyPem(), Cancel);
        await File.WriteAllTextAsync(dir["p384.pem"], p384.ExportPkcs8PrivateKeyPem(), Cancel);
        await File.WriteAllTextAsync(dir["encrypted.pem"], p384.ExportEncryptedPkcs8PrivateKeyPem("pw",
            new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000)), Cancel);
        foreach (var (key, problem) in new[]
        {
            (keys.PublicPath, "is a public key: signing needs the district's private key"),
            (dir["rsa.pem"], "is not an ECDSA P-256 private key"),
            (dir["p384.pem"], "on another curve"),
            (dir["encrypted.pem"], "is an encrypted private key"),
            (dir["missing.pem"], "does not exist"),
        })
        {
            var (exit, _, err) = await RunCliAsync("bundle", "--from", publish, "--version", "1.0.0", "--key", key, "--out", dir["signed"]);
            Assert.Equal(Cli.Usage, exit);
            Assert.Contains(problem, err, StringComparison.Ordinal);
            Assert.False(Directory.Exists(dir["signed"]), key);
        }
    }

    [Fact]
    public async Task Bundle_refuses_a_kiosk_that_is_not_executable_and_never_overwrites_a_version()
    {
        using var dir = new TempDir();
        var publish = await PublishFolderAsync(dir);
        File.SetUnixFileMode(Path.Combine(publish, "passtrack-kiosk"), Readable);
        var refused = await RunCliAsync("bundle", "--from", publish, "--version", "1.0.0", "--key", keys.PrivatePath, "--out", dir["signed"]);
        Assert.Equal(Cli.Usage, refused.Exit);
        Assert.Contains("passtrack-kiosk in bundle", refused.Err, StringComparison.Ordinal);
        Assert.Contains("is not executable (mode 644)", refused.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir["signed"]));

        File.SetUnixFileMode(Path.Combine(publish, "passtrack-kiosk"), Executable);
        Assert.Equal(Cli.Ok, (await RunCliAsync("bundle", "--from", publish, "--version", "1.0.0", "--key", keys.PrivatePath, "--out", dir["signed"])).Exit);
        var signed = await File.ReadAllBytesAsync(dir["signed/1.0.0.manifest.json"], Cancel);

        // The tar.gz just made is accepted as --from too, but not under a version that already has files.
        var again = await RunCliAsync("bundle", "--from", dir["signed/1.0.0.tar.gz"], "--version", "1.0.0", "--key", keys.PrivatePath, "--out", dir["signed"]);
        Assert.Equal(Cli.Usage, again.Exit);
        Assert.Contains("1.0.0.tar.gz already exists", again.Err, StringComparison.Ordinal);
        Assert.Equal(signed, await File.ReadAllBytesAsync(dir["signed/1.0.0.manifest.json"], Cancel));

        var fromTar = await RunCliAsync("bundle", "--from", dir["signed/1.0.0.tar.gz"], "--version", "1.0.1", "--key", keys.PrivatePath, "--out", dir["signed"]);
        Assert.True(fromTar.Exit == Cli.Ok, fromTar.Err);
        Assert.Equal(await File.ReadAllBytesAsync(dir["signed/1.0.0.tar.gz"], Cancel), await File.ReadAllBytesAsync(dir["signed/1.0.1.tar.gz"], Cancel));
    }

    [Fact]
    public async Task Bundle_refuses_a_tar_gz_with_entries_the_kiosk_will_not_unpack()
    {
        using var dir = new TempDir();
        var path = dir["linked.tar.gz"];
        await using (var file = File.Create(path))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        await using (var tar = new TarWriter(gzip))
        {
            var kiosk = new PaxTarEntry(TarEntryType.RegularFile, "passtrack-kiosk") { Mode = Executable, DataStream = new MemoryStream(Encoding.ASCII.GetBytes("#!/bin/sh\n")) };
            await tar.WriteEntryAsync(kiosk, Cancel);
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "passwd") { LinkName = "/etc/passwd" }, Cancel);
        }
        var (exit, _, err) = await RunCliAsync("bundle", "--from", path, "--version", "1.0.0", "--key", keys.PrivatePath, "--out", dir["signed"]);
        Assert.Equal(Cli.Usage, exit);
        Assert.Contains("passwd is a SymbolicLink: kiosks unpack only plain files and folders", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir["signed"]));
    }

    [Fact]
    public async Task The_usage_names_the_new_commands_and_options()
    {
        var (exit, output, _) = await RunCliAsync("--help");
        Assert.Equal(Cli.Ok, exit);
        foreach (var word in new[] { "--update-key", "--edge-http-port", "passtrack-provision keygen --out DIR", "passtrack-provision bundle --from PATH --version VERSION" })
        {
            Assert.Contains(word, output, StringComparison.Ordinal);
        }
        Assert.Equal(Cli.Usage, (await RunCliAsync("keygen")).Exit);
        Assert.Equal(Cli.Usage, (await RunCliAsync("keygen", "--out", "x", "--force", "y")).Exit);
        Assert.Equal(Cli.Usage, (await RunCliAsync("bundle", "--from", "x")).Exit);
    }

    /// <summary>The embedded launcher, as the tool writes it to the card.</summary>
    private static async Task<string> LauncherAsync(TempDir dir)
    {
        var path = dir[KioskFiles.LauncherName];
        await File.WriteAllTextAsync(path, KioskFiles.Launcher, Cancel);
        return path;
    }

    /// <summary>An executable passtrack-kiosk that says which one it is and repeats its arguments.</summary>
    private static async Task<string> KioskAsync(TempDir dir, string folder, string name)
    {
        var path = Directory.CreateDirectory(dir[folder]).FullName;
        var kiosk = Path.Combine(path, "passtrack-kiosk");
        await File.WriteAllTextAsync(kiosk, $"#!/bin/sh\nprintf '%s: ' '{name}'\nprintf '%s|' \"$@\"\necho\n", Cancel);
        File.SetUnixFileMode(kiosk, Executable);
        return path;
    }
}
