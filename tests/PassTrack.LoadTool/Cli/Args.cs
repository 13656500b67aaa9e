using System.Globalization;

namespace PassTrack.LoadTool.Cli;

/// <summary>The command line: a command, then <c>--name value</c> options and <c>--flag</c> switches.</summary>
public sealed class Args
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _flags = new(StringComparer.OrdinalIgnoreCase);

    private Args(string command) => Command = command;

    public string Command { get; }

    public static Args Parse(string[] argv)
    {
        var args = new Args(argv.Length > 0 ? argv[0].ToLowerInvariant() : "help");
        for (var i = 1; i < argv.Length; i++)
        {
            var a = argv[i];
            if (!a.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"Unexpected argument '{a}'.");
            }
            var name = a[2..];
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                args.Add(name[..eq], name[(eq + 1)..]);
            }
            else if (i + 1 < argv.Length && !argv[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                args.Add(name, argv[++i]);
            }
            else
            {
                args._flags.Add(name);
            }
        }
        return args;
    }

    private void Add(string name, string value)
    {
        if (!_values.TryGetValue(name, out var list))
        {
            _values[name] = list = [];
        }
        list.Add(value);
    }

    public bool Flag(string name) => _flags.Contains(name);

    /// <summary>Throws if the command line names an option outside <paramref name="known"/>: a typo must not start a long run.</summary>
    public Args Allow(params string[] known)
    {
        var unknown = _values.Keys.Concat(_flags).Where(n => !known.Contains(n, StringComparer.OrdinalIgnoreCase)).ToList();
        return unknown.Count == 0 ? this : throw new UsageException($"{Command}: unknown option{(unknown.Count > 1 ? "s" : "")} --{string.Join(", --", unknown)}.");
    }

    public string? Text(string name) => _values.TryGetValue(name, out var v) ? v[^1] : null;

    public string Required(string name) => Text(name) ?? throw new UsageException($"--{name} is required.");

    public IReadOnlyList<string> All(string name) => _values.TryGetValue(name, out var v) ? v : [];

    public int Whole(string name, int fallback) =>
        Text(name) is { } s ? int.TryParse(s.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : throw new UsageException($"--{name}: '{s}' is not a whole number.") : fallback;

    public double Number(string name, double fallback) =>
        Text(name) is { } s ? double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 ? d : throw new UsageException($"--{name}: '{s}' is not a positive number.") : fallback;

    /// <summary>A duration: <c>90</c> or <c>90s</c> (seconds), <c>10m</c>, <c>1h</c>, <c>500ms</c>.</summary>
    public TimeSpan Duration(string name, TimeSpan fallback) => Text(name) is { } s ? ParseDuration(name, s) : fallback;

    /// <summary>A range of seconds such as <c>20-90</c> (or one number).</summary>
    public (double Min, double Max) Range(string name, (double, double) fallback)
    {
        if (Text(name) is not { } s)
        {
            return fallback;
        }
        var parts = s.Split('-');
        if (parts.Length is < 1 or > 2 || !parts.All(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0))
        {
            throw new UsageException($"--{name}: '{s}' is not a range of seconds like 20-90.");
        }
        var min = double.Parse(parts[0], CultureInfo.InvariantCulture);
        var max = parts.Length == 2 ? double.Parse(parts[1], CultureInfo.InvariantCulture) : min;
        return max < min ? throw new UsageException($"--{name}: the range is backwards.") : (min, max);
    }

    private static TimeSpan ParseDuration(string name, string s)
    {
        var (number, unit) = s switch
        {
            _ when s.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (s[..^2], 0.001),
            _ when s.EndsWith('s') => (s[..^1], 1.0),
            _ when s.EndsWith('m') => (s[..^1], 60.0),
            _ when s.EndsWith('h') => (s[..^1], 3600.0),
            _ => (s, 1.0),
        };
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0
            ? TimeSpan.FromSeconds(v * unit)
            : throw new UsageException($"--{name}: '{s}' is not a duration like 60s, 10m or 500ms.");
    }
}

/// <summary>The command line was wrong: print the message and the usage.</summary>
public sealed class UsageException(string message) : Exception(message);
