using Microsoft.AspNetCore.Http.HttpResults;
using System.Globalization;
using PassTrack.Rules;

namespace PassTrack.Edge.Api;

/// <summary>
/// Input checks that collect every problem at once, so a 400 lists all of them. Ids come from the school's own systems:
/// 1 to 64 letters, digits and <c>- _ . : @</c>; anything else is refused before it reaches the building.
/// </summary>
public sealed class Checks
{
    public const int MaxId = 64;
    public const int MaxText = 500;

    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    /// <summary>Null when everything checked out.</summary>
    public ValidationProblem? Problem =>
        _errors.Count == 0 ? null : Problems.Invalid(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));

    public Checks Id(string field, string? value, bool required = true)
    {
        if (value is null)
        {
            return That(!required, field, "is required.");
        }
        return That(IsId(value), field, $"must be 1 to {MaxId} letters, digits or - _ . : @.");
    }

    public Checks Ids(string field, IReadOnlyList<string>? values, int max = 1000)
    {
        if (values is null)
        {
            return this;
        }
        That(values.Count <= max, field, $"may list at most {max}.");
        return That(values.All(IsId), field, $"every entry must be 1 to {MaxId} letters, digits or - _ . : @.");
    }

    public Checks Text(string field, string? value, bool required = false, int max = MaxText)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return That(!required, field, "is required.");
        }
        return That(value.Length <= max, field, $"must be at most {max} characters.");
    }

    public Checks That(bool ok, string field, string message)
    {
        if (!ok)
        {
            if (!_errors.TryGetValue(field, out var list))
            {
                _errors[field] = list = [];
            }
            list.Add(message);
        }
        return this;
    }

    public Checks Paging(int page, int pageSize) =>
        That(page is >= 1 and <= 1_000_000, "page", "must be between 1 and 1,000,000.")
        .That(pageSize is >= 1 and <= Page.MaxSize, "pageSize", $"must be between 1 and {Page.MaxSize}.");

    public static bool IsId(string value) =>
        value.Length is >= 1 and <= MaxId && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '@');

    public static PassId? PassId(string value) =>
        value.Length <= 19 && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? new PassId(id) : null;

    public static string Text(PassId id) => id.Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A page of a longer list. <see cref="PageNumber"/> counts from 1.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, int Total);

public static class Page
{
    public const int DefaultSize = 50;
    public const int MaxSize = 200;

    public static Page<T> Of<T>(IEnumerable<T> all, int page, int pageSize)
    {
        var list = all as IReadOnlyList<T> ?? all.ToList();
        return new Page<T>(list.Skip((page - 1) * pageSize).Take(pageSize).ToList(), page, pageSize, list.Count);
    }
}
