namespace PassTrack.Rules.Decisions;

/// <summary>Fits text onto a 20x4 character display: word wrap, long words broken, names shortened.</summary>
public static class LcdText
{
    /// <summary>Wraps each logical line to <see cref="StudentMessage.Columns"/> and keeps the first <see cref="StudentMessage.Rows"/> rows.</summary>
    public static IReadOnlyList<string> Fit(params string[] logicalLines)
    {
        var rows = new List<string>(StudentMessage.Rows);
        foreach (var line in logicalLines)
        {
            Wrap(line, rows);
        }
        if (rows.Count > StudentMessage.Rows)
        {
            rows.RemoveRange(StudentMessage.Rows, rows.Count - StudentMessage.Rows);
        }
        return rows;
    }

    /// <summary>Shortens a name to <paramref name="max"/> characters, marking the cut with a full stop.</summary>
    public static string Shorten(string text, int max = StudentMessage.Columns) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), ".");

    private static void Wrap(string line, List<string> rows)
    {
        // Most lines already fit: keep them as they are, without building anything.
        if (line.Length <= StudentMessage.Columns && !line.StartsWith(' ') && !line.EndsWith(' ') && !line.Contains("  ", StringComparison.Ordinal))
        {
            rows.Add(line);
            return;
        }
        var current = new System.Text.StringBuilder(StudentMessage.Columns);
        foreach (var word in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var rest = word.AsSpan();
            while (rest.Length > 0)
            {
                var room = StudentMessage.Columns - current.Length - (current.Length > 0 ? 1 : 0);
                if (rest.Length <= room)
                {
                    if (current.Length > 0)
                    {
                        current.Append(' ');
                    }
                    current.Append(rest);
                    rest = [];
                }
                else if (current.Length > 0)
                {
                    rows.Add(current.ToString());
                    current.Clear();
                }
                else
                {
                    // A word longer than a row is broken where the row ends.
                    current.Append(rest[..StudentMessage.Columns]);
                    rest = rest[StudentMessage.Columns..];
                    rows.Add(current.ToString());
                    current.Clear();
                }
            }
        }
        if (current.Length > 0 || line.Length == 0)
        {
            rows.Add(current.ToString());
        }
    }
}
