using CsvHelper;
using CsvHelper.Configuration;
using System.Globalization;

namespace PassTrack.Provision;

/// <summary>
/// passtrack-provision device|batch. Exit codes: 0 all written, 1 some CSV rows rejected (the rest written), 2 usage.
/// Never prints a secret or a Wi-Fi passphrase.
/// </summary>
internal sealed class Cli(TextWriter output, TextWriter error)
{
    public const int Ok = 0;
    public const int RowsRejected = 1;
    public const int Usage = 2;

    public static readonly string[] CsvHeader = ["device_id", "hostname", "network", "ssid", "psk", "country"];

    private const string UsageText = """
        Usage:
          passtrack-provision device --id ID --edge HOST[:PORT] --token TOKEN --out DIR
                                     [--network ethernet|wifi] [--ssid SSID --psk PASSPHRASE --country CC]
                                     [--hostname NAME] [--os trixie|bookworm] [--bundle PATH]
          passtrack-provision batch --csv devices.csv --out DIR --edge HOST[:PORT] --token TOKEN
                                     [--os trixie|bookworm] [--bundle PATH]
        The CSV's header: device_id,hostname,network,ssid,psk,country (network: ethernet or wifi).
        --bundle: the kiosk's linux-arm64 self-contained build, a folder or a tar.gz.
        Exit codes: 0 all written, 1 some CSV rows rejected (the others written), 2 usage error.
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
            _ => await UsageErrorAsync($"unknown command {Texts.Visible(args[0])}"),
        };
    }

    private async Task<int> DeviceAsync(Dictionary<string, string> options, CancellationToken cancel)
    {
        if (Unknown(options, "id", "edge", "token", "out", "network", "ssid", "psk", "country", "hostname", "os", "bundle") is { } unknown)
        {
            return await UsageErrorAsync(unknown);
        }
        if (!options.TryGetValue("out", out var folder))
        {
            return await UsageErrorAsync("--out DIR is missing");
        }
        var district = await DistrictAsync(options);
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
        if (Unknown(options, "csv", "edge", "token", "out", "os", "bundle") is { } unknown)
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
        var district = await DistrictAsync(options);
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

    private async Task<DistrictSettings?> DistrictAsync(Dictionary<string, string> options)
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
        return new DistrictSettings(edge, options["token"].Trim(), os);
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
