using PassTrack.Kiosk.Appliance;
using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.Versioning;
using System.Text.Json.Nodes;

namespace PassTrack.Provision.Tests;

// The boot files' modes are Unix modes; district IT runs the tool on Linux or macOS.
[UnsupportedOSPlatform("windows")]
public sealed class ProvisionTests(UpdateKeyFiles keys) : IClassFixture<UpdateKeyFiles>
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    // Quotes, a colon-space, a comment sign, brackets and braces: each would end or change an unquoted YAML value.
    private const string HostileSsid = "it's: #1 {a: b} [c] \"q\" &*|>%";
    private const string HostilePsk = "p'a\"ss: #w0rd\\ {x} - !y";

    private static async Task<(int Exit, string Out, string Err)> RunCliAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await new Cli(output, error).RunAsync(args, TestContext.Current.CancellationToken);
        return (exit, output.ToString(), error.ToString());
    }

    private string[] DeviceArgs(string outDir, params string[] more) =>
        ["device", "--id", "kiosk-b106", "--edge", "10.0.0.5:1884", "--token", "district-token-1", "--update-key", keys.PublicPath, "--out", outDir, .. more];

    private static string[] Wifi(string ssid, string psk) => ["--network", "wifi", "--ssid", ssid, "--psk", psk, "--country", "us"];

    [Theory]
    [InlineData("ethernet")]
    [InlineData("wifi")]
    [InlineData("hostile")]
    public async Task User_data_passes_cloud_init_schema(string network)
    {
        using var dir = new TempDir();
        string[] extra = network switch
        {
            "ethernet" => ["--network", "ethernet"],
            "wifi" => Wifi("Hallway", "correct horse battery"),
            _ => [.. Wifi(HostileSsid, HostilePsk), "--hostname", "b106-east"],
        };
        var (exit, _, err) = await RunCliAsync(DeviceArgs(dir.Path, extra));
        Assert.True(exit == 0, err);

        var userData = dir["user-data"];
        Assert.StartsWith("#cloud-config\n", await File.ReadAllTextAsync(userData, TestContext.Current.CancellationToken), StringComparison.Ordinal);
        var schema = await Tools.RunAsync(Tools.CloudInit(), "schema", "--config-file", userData);
        Assert.True(schema.ExitCode == 0, schema.ToString());
        Assert.Contains("Valid cloud-config", schema.Out + schema.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hostile_ssid_and_passphrase_stay_values_and_add_no_keys()
    {
        using var dir = new TempDir();
        var (exit, output, err) = await RunCliAsync(DeviceArgs(dir.Path, Wifi(HostileSsid, HostilePsk)));
        Assert.True(exit == 0, err);

        var network = await Tools.ParseYamlAsync(dir["network-config"]);
        Assert.Equal(["version", "wifis"], network.GetProperty("network").EnumerateObject().Select(p => p.Name));
        var wlan = network.GetProperty("network").GetProperty("wifis").GetProperty("wlan0");
        Assert.Equal(["dhcp4", "optional", "regulatory-domain", "access-points"], wlan.EnumerateObject().Select(p => p.Name));
        var accessPoint = Assert.Single(wlan.GetProperty("access-points").EnumerateObject());
        Assert.Equal(HostileSsid, accessPoint.Name);
        Assert.Equal(["password"], accessPoint.Value.EnumerateObject().Select(p => p.Name));
        Assert.Equal(HostilePsk, accessPoint.Value.GetProperty("password").GetString());
        Assert.Equal("US", wlan.GetProperty("regulatory-domain").GetString());

        var userData = await Tools.ParseYamlAsync(dir["user-data"]);
        Assert.Equal(["hostname", "manage_etc_hosts", "groups", "users", "write_files", "runcmd", "power_state"],
            userData.EnumerateObject().Select(p => p.Name));
        Assert.DoesNotContain(HostilePsk, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("line\nbreak")]
    [InlineData("x\nruncmd: [reboot]")]
    [InlineData("tab\there")]
    public async Task An_ssid_with_a_control_character_is_refused(string ssid)
    {
        using var dir = new TempDir();
        var (exit, _, err) = await RunCliAsync(DeviceArgs(dir.Path, Wifi(ssid, "correct horse battery")));
        Assert.Equal(Cli.Usage, exit);
        Assert.Contains("control character", err, StringComparison.Ordinal);
        Assert.False(File.Exists(dir["network-config"]));
    }

    [Theory]
    [InlineData("two\nlines: 'x'")]
    [InlineData("it's #not: a comment")]
    [InlineData("tab\tand \\ back\"slash")]
    [InlineData("\u2028sep\u0085nel")]
    [InlineData("")]
    public async Task Quoted_yaml_reads_back_as_the_same_string(string value)
    {
        using var dir = new TempDir();
        var path = dir["value.yaml"];
        await File.WriteAllTextAsync(path, $"key: {Yaml.Quote(value)}\nafter: 1\n", TestContext.Current.CancellationToken);
        var parsed = await Tools.ParseYamlAsync(path);
        Assert.Equal(value, parsed.GetProperty("key").GetString());
        Assert.Equal(["key", "after"], parsed.EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("it's a 'quoted' \"word\"")]
    [InlineData("$(reboot) `id` $HOME \\ ;|&")]
    public async Task Shell_quoting_passes_the_value_through_bash_unchanged(string value)
    {
        var result = await Tools.RunAsync("bash", "-c", "printf '%s' " + Shell.Quote(value));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(value, result.Out);
    }

    [Fact]
    public async Task Credentials_load_with_the_kiosks_own_loader_and_the_config_has_the_edge()
    {
        using var dir = new TempDir();
        var (exit, output, err) = await RunCliAsync(DeviceArgs(dir.Path, Wifi("Hallway", "correct horse battery")));
        Assert.True(exit == 0, err);

        var files = (await Tools.ParseYamlAsync(dir["user-data"])).GetProperty("write_files").EnumerateArray()
            .ToDictionary(f => f.GetProperty("path").GetString()!);
        var credentials = files["/etc/passtrack/credentials.json"];
        Assert.Equal("passtrack:passtrack", credentials.GetProperty("owner").GetString());
        Assert.Equal("0600", credentials.GetProperty("permissions").GetString());
        Assert.True(credentials.GetProperty("defer").GetBoolean());

        var path = dir["credentials.json"];
        await File.WriteAllTextAsync(path, credentials.GetProperty("content").GetString(), TestContext.Current.CancellationToken);
        var loaded = KioskCredentials.Load(path);
        Assert.Equal("kiosk-b106", loaded.KioskId);
        Assert.Equal("district-token-1", loaded.EnrollmentToken);
        Assert.False(string.IsNullOrEmpty(loaded.Secret));
        Assert.True(loaded.Secret.Length >= 40);
        Assert.DoesNotContain(loaded.Secret, output, StringComparison.Ordinal);
        Assert.DoesNotContain("correct horse battery", output, StringComparison.Ordinal);

        var config = JsonNode.Parse(files["/etc/passtrack/kiosk.json"].GetProperty("content").GetString()!)!;
        Assert.Equal("10.0.0.5", config["Kiosk"]!["Edge"]!["Host"]!.GetValue<string>());
        Assert.Equal(1884, config["Kiosk"]!["Edge"]!["Port"]!.GetValue<int>());
        Assert.Equal("/etc/passtrack/credentials.json", config["Kiosk"]!["CredentialPath"]!.GetValue<string>());

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(dir["user-data"]));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(dir["network-config"]));
        var meta = await Tools.ParseYamlAsync(dir["meta-data"]);
        Assert.Equal("kiosk-b106", meta.GetProperty("local-hostname").GetString());
        Assert.StartsWith("passtrack-kiosk-b106-", meta.GetProperty("instance-id").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_run_gives_a_kiosk_a_new_secret()
    {
        using var first = new TempDir();
        using var second = new TempDir();
        Assert.Equal(0, (await RunCliAsync(DeviceArgs(first.Path))).Exit);
        Assert.Equal(0, (await RunCliAsync(DeviceArgs(second.Path))).Exit);
        Assert.NotEqual(await SecretAsync(first), await SecretAsync(second));

        static async Task<string> SecretAsync(TempDir dir) =>
            JsonNode.Parse((await Tools.ParseYamlAsync(dir["user-data"])).GetProperty("write_files").EnumerateArray()
                .Single(f => f.GetProperty("path").GetString() == "/etc/passtrack/credentials.json")
                .GetProperty("content").GetString()!)!["secret"]!.GetValue<string>();
    }

    [Fact]
    public async Task Bookworm_firstrun_is_valid_bash_and_carries_the_same_files()
    {
        using var dir = new TempDir();
        var (exit, output, err) = await RunCliAsync(DeviceArgs(dir.Path, [.. Wifi(HostileSsid, HostilePsk), "--os", "bookworm"]));
        Assert.True(exit == 0, err);

        var firstRun = dir["firstrun.sh"];
        var syntax = await Tools.RunAsync("bash", "-n", firstRun);
        Assert.True(syntax.ExitCode == 0, syntax.ToString());
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(firstRun));
        var script = await File.ReadAllTextAsync(firstRun, TestContext.Current.CancellationToken);
        Assert.Contains("\"kioskId\": \"kiosk-b106\"", script, StringComparison.Ordinal);
        Assert.Contains("\"Host\": \"10.0.0.5\"", script, StringComparison.Ordinal);
        Assert.Contains("WatchdogSec=30", script, StringComparison.Ordinal);
        Assert.Contains("enable_overlayfs", script, StringComparison.Ordinal);
        Assert.Contains("rm -f \"$BOOT/firstrun.sh\"", script, StringComparison.Ordinal);
        Assert.Contains(Shell.Quote(HostileSsid), script, StringComparison.Ordinal);

        // No cmdline.txt in the folder: the tool says what to append instead of writing one.
        Assert.False(File.Exists(dir["cmdline.txt"]));
        Assert.Contains(BootFiles.BookwormCmdline, output, StringComparison.Ordinal);
        Assert.DoesNotContain(HostilePsk, output, StringComparison.Ordinal);

        var firstBoot = dir["firstboot.sh"];
        await File.WriteAllTextAsync(firstBoot, KioskFiles.FirstBootScript(Device.Check(
            new DeviceRequest("kiosk-b106", null, "wifi", "x", "12345678", "US"), out _)!), TestContext.Current.CancellationToken);
        var firstBootSyntax = await Tools.RunAsync("bash", "-n", firstBoot);
        Assert.True(firstBootSyntax.ExitCode == 0, firstBootSyntax.ToString());
    }

    [Fact]
    public async Task Bookworm_adds_first_run_to_an_existing_cmdline_once()
    {
        using var dir = new TempDir();
        const string Original = "console=serial0,115200 console=tty1 root=PARTUUID=1234-02 rootfstype=ext4 fsck.repair=yes rootwait";
        await File.WriteAllTextAsync(dir["cmdline.txt"], Original + "\n", TestContext.Current.CancellationToken);

        Assert.Equal(0, (await RunCliAsync(DeviceArgs(dir.Path, "--os", "bookworm"))).Exit);
        Assert.Equal(0, (await RunCliAsync(DeviceArgs(dir.Path, "--os", "bookworm"))).Exit);

        var cmdline = await File.ReadAllTextAsync(dir["cmdline.txt"], TestContext.Current.CancellationToken);
        Assert.Equal(Original + " " + BootFiles.BookwormCmdline + "\n", cmdline);

        // The script's own clean-up takes exactly those words out again.
        var sed = await Tools.RunAsync("sed", "-i", "-e", @"s/ *systemd\.run[^ ]*//g", "-e", @"s/ *systemd\.unit=kernel-command-line\.target//g", dir["cmdline.txt"]);
        Assert.Equal(0, sed.ExitCode);
        Assert.Equal(Original + "\n", await File.ReadAllTextAsync(dir["cmdline.txt"], TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Batch_rejects_bad_rows_by_line_and_writes_the_others()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir["devices.csv"], """
            device_id,hostname,network,ssid,psk,country
            kiosk-b106,,wifi,"Hall, east",correct horse battery,US
            kiosk-b107,b107-west,ethernet,,,
            Kiosk B108,,ethernet,,,
            kiosk-b109,,wifi,Staff,short,US
            kiosk-b110,,lan,,,
            kiosk-b106,,ethernet,,,
            kiosk-b111,,wifi,,,US
            kiosk-b112,,wifi,Hall,0123456789012345678901234567890123456789012345678901234567890123,US
            kiosk-b113,,ethernet,,,

            """, TestContext.Current.CancellationToken);
        var outDir = dir["out"];

        // The built tool as district IT runs it, for its real exit code.
        var tool = Path.Combine(AppContext.BaseDirectory, "passtrack-provision.dll");
        var result = await Tools.RunAsync("dotnet", tool, "batch", "--csv", dir["devices.csv"], "--out", outDir,
            "--edge", "edge.school.example", "--token", "district-token-1", "--update-key", keys.PublicPath);

        Assert.True(result.ExitCode == Cli.RowsRejected, result.ToString());
        Assert.Contains("line 4: rejected: device id 'Kiosk B108' is invalid", result.Out, StringComparison.Ordinal);
        Assert.Contains("line 5: rejected: the psk is shorter than 8 characters", result.Out, StringComparison.Ordinal);
        Assert.Contains("line 6: rejected: unknown network 'lan'", result.Out, StringComparison.Ordinal);
        Assert.Contains("line 7: rejected: device id kiosk-b106 is a duplicate of line 2", result.Out, StringComparison.Ordinal);
        Assert.Contains("line 8: rejected: wifi needs an ssid; wifi needs a psk", result.Out, StringComparison.Ordinal);
        Assert.Contains("line 9: rejected: the psk is longer than 63 characters", result.Out, StringComparison.Ordinal);
        Assert.Contains("Summary: 3 provisioned, 6 rejected", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("correct horse battery", result.Out, StringComparison.Ordinal);

        Assert.Equal(["kiosk-b106", "kiosk-b107", "kiosk-b113"],
            Directory.GetDirectories(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var network = await Tools.ParseYamlAsync(Path.Combine(outDir, "kiosk-b106", "network-config"));
        Assert.Equal("Hall, east", network.GetProperty("network").GetProperty("wifis").GetProperty("wlan0")
            .GetProperty("access-points").EnumerateObject().Single().Name);
        var meta = await Tools.ParseYamlAsync(Path.Combine(outDir, "kiosk-b107", "meta-data"));
        Assert.Equal("b107-west", meta.GetProperty("local-hostname").GetString());
        var schema = await Tools.RunAsync(Tools.CloudInit(), "schema", "--config-file", Path.Combine(outDir, "kiosk-b113", "user-data"));
        Assert.True(schema.ExitCode == 0, schema.ToString());
    }

    [Fact]
    public async Task Batch_of_good_rows_exits_zero_and_a_wrong_header_is_a_usage_error()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir["good.csv"], "device_id,hostname,network,ssid,psk,country\nkiosk-a1,,ethernet,,,\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(dir["bad.csv"], "id,network\nkiosk-a1,ethernet\n", TestContext.Current.CancellationToken);
        string[] common = ["--out", dir["out"], "--edge", "10.0.0.5", "--token", "t", "--update-key", keys.PublicPath];

        var good = await RunCliAsync(["batch", "--csv", dir["good.csv"], .. common]);
        Assert.True(good.Exit == Cli.Ok, good.Out + good.Err);
        Assert.Contains("1 provisioned, 0 rejected", good.Out, StringComparison.Ordinal);

        var header = await RunCliAsync(["batch", "--csv", dir["bad.csv"], .. common]);
        Assert.Equal(Cli.Usage, header.Exit);
        Assert.Contains("line 1: the header must be device_id,hostname,network,ssid,psk,country", header.Err, StringComparison.Ordinal);

        Assert.Equal(Cli.Usage, (await RunCliAsync(["batch", "--csv", dir["good.csv"], "--out", dir["out"], "--token", "t", "--update-key", keys.PublicPath])).Exit);
        Assert.Equal(Cli.Usage, (await RunCliAsync(["batch", "--csv", dir["good.csv"], .. common, "--os", "buster"])).Exit);
        Assert.Equal(Cli.Usage, (await RunCliAsync(["provision", "--help"])).Exit);
    }

    [Fact]
    public async Task A_bundle_folder_is_packed_for_the_boot_partition()
    {
        using var dir = new TempDir();
        var build = Directory.CreateDirectory(dir["publish"]).FullName;
        await File.WriteAllTextAsync(Path.Combine(build, "passtrack-kiosk"), "#!/bin/sh\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(build, "libSystem.Native.so"), "x", TestContext.Current.CancellationToken);

        var (exit, output, err) = await RunCliAsync(DeviceArgs(dir["boot"], "--bundle", build));
        Assert.True(exit == 0, err);
        Assert.DoesNotContain("no bundle given", output, StringComparison.Ordinal);

        var bundle = Path.Combine(dir["boot"], KioskFiles.BundleOnBoot);
        var listing = await Tools.RunAsync("tar", "-tzf", bundle);
        Assert.Equal(0, listing.ExitCode);
        Assert.Contains("passtrack-kiosk", listing.Out.Split('\n'));

        // The packed bundle is itself accepted as a tar.gz; a folder without the kiosk is not.
        Assert.Equal(0, (await RunCliAsync(DeviceArgs(dir["boot2"], "--bundle", bundle))).Exit);
        var empty = Directory.CreateDirectory(dir["empty"]).FullName;
        var refused = await RunCliAsync(DeviceArgs(dir["boot3"], "--bundle", empty));
        Assert.Equal(Cli.Usage, refused.Exit);
        Assert.Contains("has no passtrack-kiosk", refused.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tar_gz_with_the_kiosk_in_a_subfolder_is_refused()
    {
        using var dir = new TempDir();
        var path = dir["nested.tar.gz"];
        await using (var file = File.Create(path))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        await using (var tar = new TarWriter(gzip))
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "publish/passtrack-kiosk"), TestContext.Current.CancellationToken);
        }
        var refused = await RunCliAsync(DeviceArgs(dir["boot"], "--bundle", path));
        Assert.Equal(Cli.Usage, refused.Exit);
        Assert.Contains("no passtrack-kiosk at its top level", refused.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void The_kiosk_and_its_launcher_are_installed_where_the_unit_runs_them()
    {
        var lines = KioskFiles.Unit.Split('\n').Select(l => l.Trim()).ToArray();
        Assert.Equal($"ExecStart={KioskFiles.InstallDir}/{KioskFiles.LauncherName}", lines.Single(l => l.StartsWith("ExecStart=", StringComparison.Ordinal)));
        Assert.Equal($"ExecStartPre=-{KioskFiles.InstallDir}/passtrack-kiosk --update-check", lines.Single(l => l.StartsWith("ExecStartPre=", StringComparison.Ordinal)));
        Assert.Contains("WatchdogSec=", KioskFiles.Unit, StringComparison.Ordinal);
        Assert.Contains($"ReadWritePaths={KioskFiles.DataDir}", lines);

        // First boot unpacks into $INSTALL.new and moves it to the unit's WorkingDirectory, the launcher with it.
        var firstBoot = KioskFiles.FirstBootScript(Device.Check(new DeviceRequest("kiosk-b106", null, "ethernet", null, null, null), out _)!);
        Assert.Contains($"INSTALL={KioskFiles.InstallDir}\n", firstBoot, StringComparison.Ordinal);
        Assert.Contains($"install -m 0755 {KioskFiles.LauncherStagePath} \"$INSTALL.new/{KioskFiles.LauncherName}\"\n", firstBoot, StringComparison.Ordinal);
        Assert.True(firstBoot.IndexOf("$INSTALL.new/" + KioskFiles.LauncherName, StringComparison.Ordinal) < firstBoot.IndexOf("mv \"$INSTALL.new\" \"$INSTALL\"", StringComparison.Ordinal));

        // The launcher's defaults are where the unit keeps state and installs the kiosk, and the kiosk's updates go there too.
        Assert.Contains($"STATE=\"${{PASSTRACK_STATE:-{KioskFiles.DataDir}}}\"", KioskFiles.Launcher, StringComparison.Ordinal);
        Assert.Contains($"BASE=\"${{PASSTRACK_BASE:-{KioskFiles.InstallDir}}}\"", KioskFiles.Launcher, StringComparison.Ordinal);
        var updates = JsonNode.Parse(KioskFiles.KioskJson(new EdgeAddress("edge", 1883), 8080))!["Kiosk"]!["Updates"]!;
        Assert.Equal(KioskFiles.DataDir, updates["Root"]!.GetValue<string>());
        Assert.Equal("/etc/passtrack/update-key.pem", KioskFiles.UpdateKeyPath);
        Assert.Equal(8080, KioskFiles.DefaultEdgeHttpPort);
    }

    [Fact]
    public void The_config_fragment_is_the_hardware_readmes_lines()
    {
        foreach (var line in new[] { "dtparam=spi=on", "dtparam=i2c_arm=on", "dtparam=i2c_arm_baudrate=100000", "dtparam=audio=off", "dtoverlay=pwm,pin=18,func=2", "enable_uart=1" })
        {
            Assert.Contains(line, KioskFiles.ConfigFragment.Split('\n'));
        }
        Assert.StartsWith(KioskFiles.ConfigMarker, KioskFiles.ConfigFragment, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("edge.school.example", "edge.school.example", 1883)]
    [InlineData("10.0.0.5:1884", "10.0.0.5", 1884)]
    [InlineData("[fd00::5]:8883", "fd00::5", 8883)]
    public void Edge_addresses_parse(string text, string host, int port)
    {
        Assert.True(EdgeAddress.TryParse(text, out var edge, out var problem), problem);
        Assert.Equal(new EdgeAddress(host, port), edge);
    }

    [Theory]
    [InlineData("edge:0")]
    [InlineData("edge:70000")]
    [InlineData("fd00::5")]
    [InlineData("bad host")]
    [InlineData("")]
    public void Bad_edge_addresses_are_refused(string text) =>
        Assert.False(EdgeAddress.TryParse(text, out _, out _));

    [Fact]
    public void A_device_id_that_is_no_hostname_needs_one()
    {
        Assert.Null(Device.Check(new DeviceRequest("-kiosk", null, "ethernet", null, null, null), out var problems));
        Assert.Contains(problems, p => p.Contains("give a hostname", StringComparison.Ordinal));
        Assert.NotNull(Device.Check(new DeviceRequest("-kiosk", "kiosk-1", "ethernet", null, null, null), out _));
    }
}
