namespace PassTrack.Rules.Tests.Messages;

public class LcdTextTests
{
    [Fact]
    public void Fit_keeps_a_short_line_as_it_is()
    {
        Assert.Equal(new[] { "Welcome back" }, LcdText.Fit("Welcome back"));
    }

    [Fact]
    public void Fit_keeps_a_line_of_exactly_twenty_characters_on_one_row()
    {
        Assert.Equal(new[] { "12345678901234567890" }, LcdText.Fit("12345678901234567890"));
    }

    [Fact]
    public void Fit_wraps_at_word_boundaries()
    {
        Assert.Equal(new[] { "Please see your", "teacher right now." }, LcdText.Fit("Please see your teacher right now."));
    }

    [Fact]
    public void Fit_breaks_a_word_longer_than_a_row_where_the_row_ends()
    {
        Assert.Equal(new[] { "Supercalifragilistic", "expialidocious" }, LcdText.Fit("Supercalifragilisticexpialidocious"));
    }

    [Fact]
    public void Fit_starts_an_over_long_word_on_a_fresh_row()
    {
        Assert.Equal(new[] { "Go to", "Supercalifragilistic", "expialidocious now" }, LcdText.Fit("Go to Supercalifragilisticexpialidocious now"));
    }

    [Fact]
    public void Fit_keeps_each_logical_line_on_its_own_rows()
    {
        Assert.Equal(new[] { "Pass granted", "Nurse", "15 minutes" }, LcdText.Fit("Pass granted", "Nurse", "15 minutes"));
    }

    [Fact]
    public void Fit_keeps_at_most_four_rows()
    {
        var rows = LcdText.Fit("one", "two", "three", "four", "five");

        Assert.Equal(new[] { "one", "two", "three", "four" }, rows);
    }

    [Fact]
    public void Fit_never_makes_a_row_longer_than_twenty_characters()
    {
        var rows = LcdText.Fit(new string('x', 45), "a bb ccc dddd eeeee ffffff ggggggg");

        Assert.Equal(StudentMessage.Rows, rows.Count);
        Assert.All(rows, r => Assert.InRange(r.Length, 1, StudentMessage.Columns));
        Assert.Equal(new[] { new string('x', 20), new string('x', 20), "xxxxx", "a bb ccc dddd eeeee" }, rows);
    }

    [Fact]
    public void Shorten_cuts_a_long_name_and_marks_the_cut()
    {
        Assert.Equal("Health Services Wai.", LcdText.Shorten("Health Services Waiting Room B"));
        Assert.Equal("Maximiliana A.", LcdText.Shorten("Maximiliana Alexandrina X", 14));
        Assert.Equal("Nurse", LcdText.Shorten("Nurse"));
    }
}
