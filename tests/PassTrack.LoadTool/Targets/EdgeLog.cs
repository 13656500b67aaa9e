using System.Text.Json;

namespace PassTrack.LoadTool.Targets;

/// <summary>What the edge's log (compact JSON lines) says: how much it wrote, and its warnings and errors by message template.</summary>
public static class EdgeLog
{
    public static string Summarize(string path)
    {
        if (!File.Exists(path))
        {
            return "";
        }
        var lines = 0;
        var bad = new Dictionary<string, int>(StringComparer.Ordinal);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            lines++;
            if (!line.StartsWith('{') || !line.Contains("\"@l\"", StringComparison.Ordinal))
            {
                continue;
            }
            try
            {
                using var doc = JsonDocument.Parse(line);
                var level = doc.RootElement.TryGetProperty("@l", out var l) ? l.GetString() : null;
                if (level is "Warning" or "Error" or "Fatal")
                {
                    var template = doc.RootElement.TryGetProperty("@mt", out var mt) ? mt.GetString() : "?";
                    var key = $"{level}: {template}";
                    bad[key] = bad.GetValueOrDefault(key) + 1;
                }
            }
            catch (JsonException)
            {
                // Not a log event.
            }
        }
        var summary = $"   edge log: {lines:N0} lines ({new FileInfo(path).Length / 1024.0 / 1024.0:0.0} MB), {bad.Values.Sum():N0} warnings or errors";
        return bad.Count == 0 ? summary : summary + "\n" + string.Join('\n', bad.OrderByDescending(b => b.Value).Take(5).Select(b => $"     {b.Value,7:N0} x {b.Key}"));
    }
}
