using System.Globalization;
using System.Text;

namespace PassTrack.Provision;

/// <summary>
/// YAML written by hand (no YAML library here): every string a quoted scalar, every file a literal block, so no value
/// can end the document, start a comment or add a key.
/// </summary>
internal static class Yaml
{
    /// <summary>Single-quoted ('' for '); double-quoted with escapes if the value holds characters single quotes fold or cannot carry.</summary>
    public static string Quote(string value)
    {
        if (!value.Any(NeedsEscape))
        {
            return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
        }
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\t': text.Append("\\t"); break;
                case var other when NeedsEscape(other):
                    text.Append(CultureInfo.InvariantCulture, $"\\u{(int)other:X4}");
                    break;
                default: text.Append(c); break;
            }
        }
        return text.Append('"').ToString();
    }

    /// <summary>
    /// A literal block (<c>|</c>) for a file's content, its lines indented under the key. The content is the tool's
    /// own (JSON, scripts, rules); user values inside it are already escaped for that format.
    /// </summary>
    public static string Block(string content, int indent)
    {
        if (content.Length == 0 || content[^1] != '\n' || content.EndsWith("\n\n", StringComparison.Ordinal) || content[0] is ' ' or '\t')
        {
            throw new ArgumentException("A block needs content that starts with a non-blank and ends with one line break.", nameof(content));
        }
        if (content.Any(c => char.IsControl(c) && c is not '\n' and not '\t'))
        {
            throw new ArgumentException("A block cannot carry control characters.", nameof(content));
        }
        var pad = new string(' ', indent);
        var text = new StringBuilder("|\n");
        foreach (var line in content[..^1].Split('\n'))
        {
            text.Append(line.Length == 0 ? "" : pad).Append(line).Append('\n');
        }
        return text.ToString();
    }

    private static bool NeedsEscape(char c) => char.IsControl(c) || c is '\u2028' or '\u2029' or '\uFEFF';
}

/// <summary>Bash text.</summary>
internal static class Shell
{
    /// <summary>One word for bash, whatever it holds: single quotes, with ' written as '\''.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>A here-document that writes a file verbatim (quoted delimiter: no expansion inside).</summary>
    public static string WriteFile(string path, string content, string owner, string mode)
    {
        const string End = "PASSTRACK_EOF";
        if (content.Split('\n').Contains(End, StringComparer.Ordinal) || content.Length == 0 || content[^1] != '\n')
        {
            throw new ArgumentException("The content cannot be written with a here-document.", nameof(content));
        }
        var dir = Path.GetDirectoryName(path)!;
        return $"install -d -m 0755 {Quote(dir)}\n"
            + $"(umask 077; cat > {Quote(path)} <<'{End}'\n{content}{End}\n)\n"
            + $"chown {owner} {Quote(path)}\n"
            + $"chmod {mode} {Quote(path)}\n";
    }
}
