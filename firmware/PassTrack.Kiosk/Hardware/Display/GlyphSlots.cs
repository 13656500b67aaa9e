namespace PassTrack.Kiosk.Hardware.Display;

/// <summary>
/// Which custom glyph sits in each of the eight CGRAM slots. A screen that needs a glyph not loaded takes a slot
/// the screen does not need; glyphs already loaded keep their slot, so CGRAM is rewritten only when the set changes.
/// </summary>
internal sealed class GlyphSlots
{
    public const int Count = 8;

    private readonly char?[] _loaded = new char?[Count];

    /// <summary>
    /// Gives the wanted glyphs (in reading order) slots, the most needed first when there are more than eight.
    /// </summary>
    /// <returns>The slot of every glyph that got one, and the slots whose bitmap must be written now.</returns>
    public (IReadOnlyDictionary<char, int> SlotOf, IReadOnlyList<int> ToWrite) Assign(IEnumerable<char> wanted)
    {
        var ranked = wanted.Distinct().OrderBy(SpanishGlyphs.Rank).Take(Count).ToList();
        var chosen = ranked.ToHashSet();
        var slotOf = new Dictionary<char, int>();
        for (var slot = 0; slot < Count; slot++)
        {
            if (_loaded[slot] is { } glyph && chosen.Contains(glyph))
            {
                slotOf[glyph] = slot;
            }
        }
        var free = new Queue<int>(Enumerable.Range(0, Count)
            .Where(slot => _loaded[slot] is not { } glyph || !chosen.Contains(glyph))
            .OrderBy(slot => _loaded[slot] is null ? 0 : 1));
        var toWrite = new List<int>();
        foreach (var glyph in ranked.Where(g => !slotOf.ContainsKey(g)))
        {
            var slot = free.Dequeue();
            _loaded[slot] = glyph;
            slotOf[glyph] = slot;
            toWrite.Add(slot);
        }
        toWrite.Sort();
        return (slotOf, toWrite);
    }

    public char GlyphIn(int slot) => _loaded[slot] ?? throw new InvalidOperationException($"CGRAM slot {slot} is empty.");

    /// <summary>After a reset nothing is known about CGRAM.</summary>
    public void Forget() => Array.Clear(_loaded);
}
