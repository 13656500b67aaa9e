using System.Globalization;
using System.Text;

namespace PassTrack.LoadTool.Stats;

/// <summary>
/// Reads the edge's <c>/metrics</c> (Prometheus text) enough to say where time went: for each PassTrack histogram
/// its count, mean and estimated p50/p99 (summed over label sets), and the PassTrack counters.
/// </summary>
public static class PrometheusText
{
    public static string Summarize(string text, string prefix = "passtrack_")
    {
        var samples = Parse(text).Where(s => s.Name.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        var output = new StringBuilder();
        var histograms = samples.Where(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal)).Select(s => s.Name[..^"_bucket".Length]).Distinct(StringComparer.Ordinal);
        foreach (var name in histograms)
        {
            var count = samples.Where(s => s.Name == name + "_count").Sum(s => s.Value);
            var sum = samples.Where(s => s.Name == name + "_sum").Sum(s => s.Value);
            var buckets = samples.Where(s => s.Name == name + "_bucket" && s.Labels.TryGetValue("le", out _))
                .GroupBy(s => ParseLe(s.Labels["le"]))
                .Select(g => (Le: g.Key, Cumulative: g.Sum(s => s.Value)))
                .OrderBy(b => b.Le)
                .ToList();
            output.AppendLine(CultureInfo.InvariantCulture, $"   edge /metrics {name}: {count:N0} recorded, mean {(count > 0 ? sum / count : 0):0.00}, p50 ~{Quantile(buckets, count, 0.5):0.##}, p99 ~{Quantile(buckets, count, 0.99):0.##} (whole process life)");
        }
        foreach (var group in samples.Where(s => s.Name.EndsWith("_total", StringComparison.Ordinal)).GroupBy(s => s.Name))
        {
            var parts = group.Select(s => s.Labels.Count == 0 ? $"{s.Value:N0}" : $"{string.Join(",", s.Labels.Where(l => l.Key != "otel_scope_name").Select(l => l.Value))}={s.Value:N0}");
            output.AppendLine(CultureInfo.InvariantCulture, $"   edge /metrics {group.Key}: {string.Join(" ", parts)}");
        }
        return output.ToString().TrimEnd();
    }

    private static double ParseLe(string le) => le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);

    /// <summary>The upper bound of the bucket the quantile falls in, interpolated linearly inside it.</summary>
    private static double Quantile(List<(double Le, double Cumulative)> buckets, double count, double q)
    {
        if (count <= 0 || buckets.Count == 0)
        {
            return 0;
        }
        var rank = q * count;
        var (previousLe, previousCumulative) = (0.0, 0.0);
        foreach (var (le, cumulative) in buckets)
        {
            if (cumulative >= rank)
            {
                if (double.IsPositiveInfinity(le))
                {
                    return previousLe;
                }
                var inBucket = cumulative - previousCumulative;
                return inBucket <= 0 ? le : previousLe + ((le - previousLe) * (rank - previousCumulative) / inBucket);
            }
            (previousLe, previousCumulative) = (le, cumulative);
        }
        return previousLe;
    }

    private sealed record Sample(string Name, Dictionary<string, string> Labels, double Value);

    private static IEnumerable<Sample> Parse(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            string name;
            string rest;
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            if (brace > 0)
            {
                name = line[..brace];
                var close = line.LastIndexOf('}');
                foreach (var pair in line[(brace + 1)..close].Split("\",", StringSplitOptions.RemoveEmptyEntries))
                {
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    if (eq > 0)
                    {
                        labels[pair[..eq].Trim()] = pair[(eq + 1)..].Trim().Trim('"');
                    }
                }
                rest = line[(close + 1)..].Trim();
            }
            else
            {
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                if (space < 0)
                {
                    continue;
                }
                name = line[..space];
                rest = line[(space + 1)..].Trim();
            }
            var value = rest.Split(' ')[0];
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            {
                yield return new Sample(name, labels, v);
            }
        }
    }
}
