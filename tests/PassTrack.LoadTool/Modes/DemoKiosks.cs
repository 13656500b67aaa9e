using System.Text.Json;
using PassTrack.LoadTool.Kiosks;

namespace PassTrack.LoadTool.Modes;

/// <summary>
/// The demo's kiosks keep their ids and secrets in a small file between runs, so running the demo again against the
/// same edge reconnects the same kiosks instead of enrolling new ones every time.
/// </summary>
public static class DemoKiosks
{
    public static string DefaultStateFile(MqttEndpoint broker) =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "passtrack", $"demo-kiosks-{broker.Host}-{broker.Port}.json");

    public static IReadOnlyList<SimKiosk> Load(string path, string prefix, IReadOnlyList<string> rooms)
    {
        var secrets = File.Exists(path) ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path)) ?? [] : [];
        var kiosks = new List<SimKiosk>();
        for (var i = 0; i < rooms.Count; i++)
        {
            var id = $"{prefix}-{i + 1:D4}";
            if (!secrets.TryGetValue(id, out var secret))
            {
                secrets[id] = secret = Edge.Security.SecretHasher.NewSecret();
            }
            kiosks.Add(new SimKiosk(id, secret, i) { RoomId = rooms[i] });
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(secrets));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return kiosks;
    }
}
