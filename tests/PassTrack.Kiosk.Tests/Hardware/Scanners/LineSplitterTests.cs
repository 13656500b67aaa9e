using System.Text;
using PassTrack.Kiosk.Hardware.Scanners;

namespace PassTrack.Kiosk.Tests.Hardware.Scanners;

public sealed class LineSplitterTests
{
    [Theory]
    [InlineData("S123456\r")]
    [InlineData("S123456\n")]
    [InlineData("S123456\r\n")]
    public void Each_line_ending_ends_one_line(string sent)
    {
        Assert.Equal(["S123456"], Split(sent));
    }

    [Fact]
    public void Mixed_endings_and_blank_lines_give_only_the_codes()
    {
        Assert.Equal(["A", "B", "C", "D"], Split("A\r\nB\rC\n\r\n\nD\r\n"));
    }

    [Fact]
    public void Every_way_of_cutting_the_stream_into_two_reads_gives_the_same_lines()
    {
        var bytes = Encoding.UTF8.GetBytes("04A23B1C\r\nS42\rñandú\n");

        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            var splitter = new LineSplitter();
            var lines = new List<ScanLine>();
            splitter.Feed(bytes.AsSpan(0, cut), lines);
            splitter.Feed(bytes.AsSpan(cut), lines);

            Assert.Equal(["04A23B1C", "S42", "ñandú"], lines.Select(l => l.Text));
        }
    }

    [Fact]
    public void A_line_without_its_ending_waits_for_the_next_read()
    {
        var splitter = new LineSplitter();
        var lines = new List<ScanLine>();

        splitter.Feed("S12"u8, lines);
        Assert.Empty(lines);
        splitter.Feed("34\r"u8, lines);
        Assert.Equal("S1234", Assert.Single(lines).Text);
    }

    [Fact]
    public void A_line_over_the_limit_is_dropped_whole_and_the_next_one_reads()
    {
        var splitter = new LineSplitter(maxLineLength: 16);
        var lines = new List<ScanLine>();

        splitter.Feed(Encoding.ASCII.GetBytes(new string('x', 100)), lines);
        splitter.Feed(Encoding.ASCII.GetBytes(new string('x', 100) + "\nOK\n"), lines);

        Assert.Equal(2, lines.Count);
        Assert.Contains("longer than 16", lines[0].DroppedBecause, StringComparison.Ordinal);
        Assert.Equal("OK", lines[1].Text);
    }

    private static List<string> Split(string sent)
    {
        var lines = new List<ScanLine>();
        new LineSplitter().Feed(Encoding.UTF8.GetBytes(sent), lines);
        return [.. lines.Select(l => l.Text)];
    }
}
