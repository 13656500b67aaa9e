using CsvHelper;
using CsvHelper.Configuration;
using PassTrack.Contracts.Updates;
using System.Globalization;
using System.Text;

namespace PassTrack.Provision;

/// <summary>
/// passtrack-provision device|batch|keygen|bundle. Exit codes: 0 all written, 1 some CSV rows rejected (the rest
/// written), 2 usage. Never prints a secret, a Wi-Fi passphrase or a private key.
/// </summary>
internal sealed class Cli(TextWriter output, TextWriter error)
{
    public const int Ok = 0;
    public const int RowsRejected = 1;
    public const int Usage = 2;

    public static readonly string[] CsvHeader = ["device_id", "hostname", "network", "ssid", "psk", "country"];

    /// <summary>The edge's API key header (PassTrack.Edge's ApiKeyAuthentication.Header).</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    private const string UsageText = """
        Usage:
          passtrack-provision device --id ID --edge HOST[:PORT] --token TOKEN --update-key update-key.pem --out DIR
                                     [--network ethernet|wifi] [--ssid SSID --psk PASSPHRASE --country CC]
                                     [--hostname NAME] [--os trixie|bookworm] [--bundle PATH] [--edge-http-port N]
          passtrack-provision batch --csv devices.csv --out DIR --edge HOST[:PORT] --token TOKEN --update-key update-key.pem
                                     [--os trixie|bookworm] [--bundle PATH] [--edge-http-port N]
          passtrack-provision keygen --out DIR
          passtrack-provision bundle --from PATH --version VERSION --key update-key.private.pem --out DIR
        The CSV's header: device_id,hostname,network,ssid,psk,country (network: ethernet or wifi).
        --bundle, --from: the kiosk's linux-arm64 self-contained build, a folder or a tar.gz.
        --update-key: the district's update PUBLIC key, written to each kiosk to check updates with.
        --edge-http-port: the edge's HTTP port kiosks download updates from (8080 if left out).
        keygen: a new update key pair, DIR/update-key.pem (public: kiosks and edges) and DIR/update-key.private.pem
                (private, owner-only: keep it off kiosks and edges). It never overwrites a key.
        bundle: a signed update, DIR/VERSION.tar.gz, DIR/VERSION.manifest.json and DIR/VERSION.manifest.sig, and the
                commands that upload them to an edge. It never overwrites a version's files.
        Exit codes: 0 all written, 1 some CSV rows rejected (the others written), 2 usage error (nothing written).
        """;

    public async Task<int> RunAsync(string[] args, CancellationToken cancel)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            await output.WriteLineAsync(UsageText);
            return args.Length == 0 ? Usage : Ok;
        }
        if (!TryOptions(args.AsSpan(1), out var options, out var problem))
        {
            return await UsageErrorAsync(problem);
        }
        return args[0] switch
        {
            "device" => await DeviceAsync(options, cancel),
            "batch" => await BatchAsync(options, cancel),
            "keygen" => await KeygenAsync(options, cancel),
            "bundle" => await SignBundleAsync(options, cancel),
            _ => await UsageErrorAsync($"unknown command {Texts.Visible(args[0])}"),
        };
    }

    private async Task<int> DeviceAsync(Dictionary<string, string> options, CancellationToken cancel)
    {
        if (Unknown(options, "id", "edge", "token", "out", "network", "ssid", "psk", "country", "hostname", "os", "bundle", "update-key", "edge-http-port") is { } unknown)
        {
            return await UsageErrorAsync(unknown);
        }
        if (!options.TryGetValue("out", out var folder))
        {
            return await UsageErrorAsync("--out DIR is missing");
        }
        var district = await DistrictAsync(options, cancel);
        if (district is null)
        {
            return Usage;
        }
        var request = new DeviceRequest(options.GetValueOrDefault("id"), options.GetValueOrDefault("hostname"),
            options.GetValueOrDefault("network", "ethernet"), options.GetValueOrDefault("ssid"), options.GetValueOrDefault("psk"),
            options.GetValueOrDefault("country"));
        var device = Device.Check(request, out var problems);
        if (device is null)
        {
            return await UsageErrorAsync(string.Join("; ", problems));
        }
        var work = Path.Combine(Path.GetTempPath(), "passtrack-provision-" + Guid.NewGuid().ToString("N"));
        try
        {
            var bundle = await BundleAsync(options, work, cancel);
            if (bundle.Problem is not null)
            {
                return await UsageErrorAsync(bundle.Problem);
            }
            var result = await Provisioner.WriteAsync(device, district, folder, bundle.Path, cancel);
            await ReportAsync(device, district, result);
            return Ok;
        }
        finally
        {
            TryDelete(work);
        }
    }

    private async Task<int> BatchAsync(Dictionary<string, string> options, CancellationToken cancel)
    {
        if (Unknown(options, "csv", "edge", "token", "out", "os", "bundle", "update-key", "edge-http-port") is { } unknown)
        {
            return await UsageErrorAsync(unknown);
        }
        if (!options.TryGetValue("csv", out var csvPath) || !options.TryGetValue("out", out var outDir))
        {
            return await UsageErrorAsync("batch needs --csv FILE and --out DIR");
        }
        if (!File.Exists(csvPath))
        {
            return await UsageErrorAsync($"CSV file {csvPath} does not exist");
        }
        var district = await DistrictAsync(options, cancel);
        if (district is null)
        {
            return Usage;
        }
        var work = Path.Combine(Path.GetTempPath(), "passtrack-provision-" + Guid.NewGuid().ToString("N"));
        try
        {
            var bundle = await BundleAsync(options, work, cancel);
            if (bundle.Problem is not null)
            {
                return await UsageErrorAsync(bundle.Problem);
            }

            var config = new CsvConfiguration(CultureInfo.InvariantCulture)
            {
                HasHeaderRecord = true,
                TrimOptions = TrimOptions.Trim,
                IgnoreBlankLines = true,
                BadDataFound = null,
                DetectColumnCountChanges = false,
            };
            using var reader = new StreamReader(csvPath);
            using var parser = new CsvParser(reader, config);
            if (!await parser.ReadAsync())
            {
                return await UsageErrorAsync($"{csvPath} is empty: it needs the header {string.Join(',', CsvHeader)}");
            }
            var header = parser.Record!.Select(h => h.Trim().ToLowerInvariant()).ToArray();
            if (!header.SequenceEqual(CsvHeader))
            {
                return await UsageErrorAsync($"{csvPath} line 1: the header must be {string.Join(',', CsvHeader)}");
            }

            var seen = new Dictionary<string, long>(StringComparer.Ordinal);
            var rejected = new List<string>();
            var provisioned = 0;
            while (await parser.ReadAsync())
            {
                var record = parser.Record!;
                var line = parser.RawRow;
                var problems = new List<string>();
                Device? device = null;
                if (record.Length != CsvHeader.Length)
                {
                    problems.Add($"it has {record.Length} fields, the header has {CsvHeader.Length}");
                }
                else
                {
                    device = Device.Check(new DeviceRequest(record[0], record[1], record[2], record[3], record[4], record[5]), out var found);
                    problems.AddRange(found);
                    if (device is not null && seen.TryGetValue(device.Id, out var first))
                    {
                        problems.Add($"device id {device.Id} is a duplicate of line {first}");
                    }
                }
                if (problems.Count > 0 || device is null)
                {
                    var message = $"line {line}: rejected: {string.Join("; ", problems)}";
                    rejected.Add(message);
                    await output.WriteLineAsync(message);
                    continue;
                }
                seen[device.Id] = line;
                try
                {
                    var result = await Provisioner.WriteAsync(device, district, Path.Combine(outDir, device.Id), bundle.Path, cancel);
                    provisioned++;
                    await output.WriteLineAsync($"line {line}: {device.Id}: written to {result.Folder} ({Describe(device, district)})");
                    foreach (var note in result.Notes.Where(n => !n.StartsWith("no bundle", StringComparison.Ordinal)))
                    {
                        await output.WriteLineAsync($"  {note}");
                    }
                }
                catch (IOException e)
                {
                    var message = $"line {line}: rejected: could not write {device.Id}'s folder: {e.Message}";
                    rejected.Add(message);
                    await output.WriteLineAsync(message);
                }
            }

            await output.WriteLineAsync();
            await output.WriteLineAsync($"Summary: {provisioned} provisioned, {rejected.Count} rejected, in {outDir}");
            foreach (var message in rejected)
            {
                await output.WriteLineAsync($"  {message}");
            }
            if (bundle.Path is null && provisioned > 0)
            {
                await output.WriteLineAsync($"No --bundle: copy the kiosk's linux-arm64 build (tar.gz) to {KioskFiles.BundleOnBoot} in each folder before first boot.");
            }
            return rejected.Count == 0 ? Ok : RowsRejected;
        }
        finally
        {
            TryDelete(work);
        }
    }

    private async Task<DistrictSettings?> DistrictAsync(Dictionary<string, string> options, CancellationToken cancel)
    {
        if (!EdgeAddress.TryParse(options.GetValueOrDefault("edge"), out var edge, out var problem))
        {
            await UsageErrorAsync(problem);
            return null;
        }
        if (DistrictSettings.TokenProblem(options.GetValueOrDefault("token")) is { } tokenProblem)
        {
            await UsageErrorAsync(tokenProblem);
            return null;
        }
        if (!DistrictSettings.TryParseOs(options.GetValueOrDefault("os"), out var os))
        {
            await UsageErrorAsync($"unknown OS {Texts.Visible(options["os"])} (trixie or bookworm)");
            return null;
        }
        var httpPort = KioskFiles.DefaultEdgeHttpPort;
        if (options.TryGetValue("edge-http-port", out var portText)
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out httpPort) || httpPort is < 1 or > 65535))
        {
            await UsageErrorAsync($"edge HTTP port {Texts.Visible(portText)} is not a number from 1 to 65535");
            return null;
        }
        if (!options.TryGetValue("update-key", out var keyPath))
        {
            await UsageErrorAsync($"--update-key PATH is missing: the district's update public key ({UpdateKeys.PublicFileName}, from passtrack-provision keygen)");
            return null;
        }
        var (keyText, keyProblem) = await ReadKeyFileAsync(keyPath, cancel);
        var publicPem = keyText is null ? null : UpdateKeys.ReadPublic(keyPath, keyText, out keyProblem);
        if (publicPem is null)
        {
            await UsageErrorAsync(keyProblem);
            return null;
        }
        return new DistrictSettings(edge, options["token"].Trim(), os, publicPem, httpPort);
    }

    /// <summary>keygen: a new key pair, the private half created owner-only; never over an existing key.</summary>
    private async Task<int> KeygenAsync(Dictionary<string, string> options, CancellationToken cancel)
    {
        if (Unknown(options, "out") is { } unknown)
        {
            return await UsageErrorAsync(unknown);
        }
        if (!options.TryGetValue("out", out var folder))
        {
            return await UsageErrorAsync("--out DIR is missing");
        }
        var publicPath = Path.Combine(folder, UpdateKeys.PublicFileName);
        var privatePath = Path.Combine(folder, UpdateKeys.PrivateFileName);
        if (new[] { publicPath, privatePath }.FirstOrDefault(File.Exists) is { } existing)
        {
            // Kiosks and edges trust the key they were given: a new one in its place would lock them out of updates.
            return await UsageErrorAsync($"{existing} already exists: keygen never overwrites a key");
        }
        var (publicPem, privatePem) = UpdateKeys.Generate();
        try
        {
            Directory.CreateDirectory(folder);
            await WriteNewFileAsync(privatePath, Encoding.ASCII.GetBytes(privatePem), ownerOnly: true, cancel);
            try
            {
                await WriteNewFileAsync(publicPath, Encoding.ASCII.GetBytes(publicPem), ownerOnly: false, cancel);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A private key without its public half is of no use to anyone: take it away again.
                File.Delete(privatePath);
                throw;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return await UsageErrorAsync($"could not write the keys in {folder}: {e.Message}");
        }
        await output.WriteLineAsync($"{publicPath}: the public key: give it to passtrack-provision --update-key and to each edge (Edge:Updates:PublicKeyPath)");
        await output.WriteLineAsync($"{privatePath}: the private key (owner-only): signs bundles (passtrack-provision bundle --key); keep it offline and backed up, never on a kiosk or an edge");
        return Ok;
    }

    /// <summary>bundle: the tar.gz, its manifest as signed and the signature, staged and then moved into place together.</summary>
    private async Task<int> SignBundleAsync(Dictionary<string, string> options, CancellationToken cancel)
    {
        if (Unknown(options, "from", "version", "key", "out") is { } unknown)
        {
            return await UsageErrorAsync(unknown);
        }
        if (!options.TryGetValue("from", out var source) || !options.TryGetValue("version", out var version)
            || !options.TryGetValue("key", out var keyPath) || !options.TryGetValue("out", out var outDir))
        {
            return await UsageErrorAsync("bundle needs --from PATH, --version VERSION, --key PRIVATE.pem and --out DIR");
        }
        if (!UpdateSignature.IsSafeVersion(version))
        {
            return await UsageErrorAsync($"version {Texts.Visible(version)} is not a version: 1 to 64 letters, digits, '.', '-' and '+', not starting with '.'");
        }
        var (keyText, keyProblem) = await ReadKeyFileAsync(keyPath, cancel);
        var privatePem = keyText is null ? null : UpdateKeys.ReadPrivate(keyPath, keyText, out keyProblem);
        if (privatePem is null)
        {
            return await UsageErrorAsync(keyProblem);
        }
        string[] names = [version + ".tar.gz", version + ".manifest.json", version + ".manifest.sig"];
        var targets = names.Select(n => Path.Combine(outDir, n)).ToArray();
        if (targets.FirstOrDefault(File.Exists) is { } existing)
        {
            // A version is signed once: kiosks may already run it by that name, and would not know a second build of it from the first.
            return await UsageErrorAsync($"{existing} already exists: give a new --version (or delete that version's files)");
        }

        var work = Path.Combine(Path.GetTempPath(), "passtrack-provision-" + Guid.NewGuid().ToString("N"));
        try
        {
            string packed;
            try
            {
                packed = await Bundle.PrepareAsync(source, work, cancel);
                await Bundle.CheckUpdateAsync(packed, cancel);
            }
            catch (BundleException e)
            {
                return await UsageErrorAsync(e.Message);
            }
            var staged = Path.Combine(work, "signed");
            Directory.CreateDirectory(staged);
            var stagedFiles = names.Select(n => Path.Combine(staged, n)).ToArray();
            File.Copy(packed, stagedFiles[0]);

            // The manifest describes the very file that is moved into place, not the one it was copied from.
            byte[] manifest;
            await using (var bundle = File.OpenRead(stagedFiles[0]))
            {
                manifest = await UpdateSignature.ManifestForAsync(version, bundle, TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds(), cancel);
            }
            var signature = UpdateSignature.Sign(manifest, privatePem);
            await WriteNewFileAsync(stagedFiles[1], manifest, ownerOnly: false, cancel);
            await WriteNewFileAsync(stagedFiles[2], signature, ownerOnly: false, cancel);
            try
            {
                Directory.CreateDirectory(outDir);
                for (var i = 0; i < names.Length; i++)
                {
                    File.Move(stagedFiles[i], targets[i], overwrite: false);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return await UsageErrorAsync($"could not write version {version}'s files in {outDir}: {e.Message}");
            }

            await output.WriteLineAsync($"Signed version {version} ({new FileInfo(targets[0]).Length} bytes):");
            foreach (var target in targets)
            {
                await output.WriteLineAsync($"  {target}");
            }
            await output.WriteLineAsync();
            await output.WriteLineAsync("Upload it to an edge, the manifest first (EDGE: the edge's HTTP address, e.g. http://edge.school.example:8080;");
            await output.WriteLineAsync("API_KEY: an edge API key with the kiosks scope):");
            var body = $"{{\"manifest\":\"{Convert.ToBase64String(manifest)}\",\"signature\":\"{Convert.ToBase64String(signature)}\"}}";
            var put = $"curl --fail-with-body -X PUT -H \"{ApiKeyHeader}: $API_KEY\"";
            await output.WriteLineAsync($"  {put} -H 'Content-Type: application/json' --data-binary '{body}' \"$EDGE/api/updates/{version}/manifest\"");
            await output.WriteLineAsync($"  {put} -H 'Content-Type: application/octet-stream' -T {Shell.Quote(targets[0])} \"$EDGE/api/updates/{version}/bundle\"");
            return Ok;
        }
        finally
        {
            TryDelete(work);
        }
    }

    /// <summary>A key file's text; a key is a few hundred bytes, so anything large is not one.</summary>
    private static async Task<(string? Text, string Problem)> ReadKeyFileAsync(string path, CancellationToken cancel)
    {
        try
        {
            if (!File.Exists(path))
            {
                return (null, $"key file {path} does not exist");
            }
            if (new FileInfo(path).Length > 16 * 1024)
            {
                return (null, $"{path} is too large to be a PEM key");
            }
            return (await File.ReadAllTextAsync(path, cancel), "");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"could not read key file {path}: {e.Message}");
        }
    }

    /// <summary>Never over an existing file; an owner-only one is created so, never readable for a moment.</summary>
    private static async Task WriteNewFileAsync(string path, byte[] content, bool ownerOnly, CancellationToken cancel)
    {
        var mode = ownerOnly
            ? UnixFileMode.UserRead | UnixFileMode.UserWrite
            : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }
        await using (var stream = new FileStream(path, options))
        {
            await stream.WriteAsync(content, cancel);
        }
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private static async Task<(string? Path, string? Problem)> BundleAsync(Dictionary<string, string> options, string work, CancellationToken cancel)
    {
        if (!options.TryGetValue("bundle", out var source))
        {
            return (null, null);
        }
        try
        {
            return (await Bundle.PrepareAsync(source, work, cancel), null);
        }
        catch (BundleException e)
        {
            return (null, e.Message);
        }
    }

    private async Task ReportAsync(Device device, DistrictSettings district, Provisioned result)
    {
        await output.WriteLineAsync($"{device.Id}: written to {result.Folder} ({Describe(device, district)})");
        foreach (var file in result.Files)
        {
            await output.WriteLineAsync($"  {file}");
        }
        foreach (var note in result.Notes)
        {
            await output.WriteLineAsync($"Note: {note}");
        }
    }

    private static string Describe(Device device, DistrictSettings district) =>
        $"{district.Os.ToString().ToLowerInvariant()}, hostname {device.Hostname}, "
        + (device.Network == NetworkKind.Wifi ? $"wifi {Texts.Visible(device.Ssid!)} ({device.Country})" : "ethernet")
        + $", edge {district.Edge}";

    private async Task<int> UsageErrorAsync(string problem)
    {
        await error.WriteLineAsync($"passtrack-provision: {problem}");
        await error.WriteLineAsync("Run passtrack-provision --help for the options.");
        return Usage;
    }

    private static bool TryOptions(ReadOnlySpan<string> args, out Dictionary<string, string> options, out string problem)
    {
        options = new Dictionary<string, string>(StringComparer.Ordinal);
        problem = "";
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                problem = $"unexpected argument {Texts.Visible(arg)}";
                return false;
            }
            var name = arg[2..];
            string value;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }
            else if (i + 1 < args.Length)
            {
                value = args[++i];
            }
            else
            {
                problem = $"--{name} needs a value";
                return false;
            }
            if (!options.TryAdd(name, value))
            {
                problem = $"--{name} is given twice";
                return false;
            }
        }
        return true;
    }

    private static string? Unknown(Dictionary<string, string> options, params string[] known) =>
        options.Keys.FirstOrDefault(k => !known.Contains(k, StringComparer.Ordinal)) is { } name ? $"unknown option --{name}" : null;

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover temporary bundle is harmless.
        }
    }
}
