using Bunit;
using Microsoft.Extensions.DependencyInjection;
using PassTrack.Contracts.Passes;
using PassTrack.Dashboard.Teacher;
using Radzen;

namespace PassTrack.Dashboard.Tests.Teacher;

/// <summary>The pass card in bUnit: elapsed time, the colour as the pass nears and passes its limit, its buttons.</summary>
public sealed class PassCardTests : IDisposable
{
    private static readonly DateTimeOffset Started = new(2026, 12, 7, 14, 0, 0, TimeSpan.Zero);

    private readonly BunitContext _context = new();

    public PassCardTests()
    {
        _context.Services.AddRadzenComponents();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private static PassView Pass(bool flagged = false, int? queuePlace = null, PassState state = PassState.Active) =>
        new(42, "s-1001", "Ana Lopez", "Restroom A North", state, Started, Started.AddMinutes(10), flagged, queuePlace, null);

    [Theory]
    [InlineData(247, "4:07", "pt-card")]
    [InlineData(480, "8:00", "pt-card pt-warning")]
    [InlineData(601, "10:01", "pt-card pt-overdue")]
    [InlineData(3735, "1:02:15", "pt-card pt-overdue")]
    public void Shows_the_elapsed_time_and_colours_the_card_as_the_limit_nears_and_passes(int seconds, string elapsed, string css)
    {
        var card = _context.Render<PassCard>(p => p.Add(c => c.Pass, Pass()).Add(c => c.Now, Started.AddSeconds(seconds)));

        Assert.Equal(elapsed, card.Find(".pt-elapsed").TextContent);
        var classes = card.Find("[data-pass='42']").ClassList;
        string[] ours = ["pt-card", "pt-warning", "pt-overdue"];
        Assert.Equal(css.Split(' '), ours.Where(classes.Contains));
        Assert.Contains("Ana Lopez", card.Find(".pt-student").TextContent, StringComparison.Ordinal);
        Assert.Equal(seconds > 600, card.FindAll(".pt-overdue-label").Count == 1);
    }

    [Fact]
    public void A_pass_the_edge_flagged_overdue_is_overdue_whatever_the_clock_says()
    {
        var card = _context.Render<PassCard>(p => p.Add(c => c.Pass, Pass(flagged: true)).Add(c => c.Now, Started.AddMinutes(1)));

        Assert.Contains("pt-overdue", card.Find("[data-pass='42']").GetAttribute("class"), StringComparison.Ordinal);
    }

    [Fact]
    public void End_hands_the_pass_to_the_board_and_only_the_actions_given_are_shown()
    {
        PassView? ended = null;
        var card = _context.Render<PassCard>(p => p
            .Add(c => c.Pass, Pass())
            .Add(c => c.Now, Started.AddMinutes(2))
            .Add(c => c.OnEnd, (PassView v) => ended = v));

        var buttons = card.FindAll("button");
        Assert.Equal(["End"], buttons.Select(b => b.TextContent.Trim()));
        buttons[0].Click();

        Assert.Equal(42, ended?.PassId);
    }

    [Fact]
    public void A_waiting_request_offers_approve_and_deny_and_a_busy_card_disables_them()
    {
        var card = _context.Render<PassCard>(p => p
            .Add(c => c.Pass, Pass(state: PassState.PendingApproval))
            .Add(c => c.Now, Started)
            .Add(c => c.Busy, true)
            .Add(c => c.OnApprove, (PassView _) => { })
            .Add(c => c.OnDeny, (PassView _) => { }));

        var buttons = card.FindAll("button");
        Assert.Equal(["Approve", "Deny"], buttons.Select(b => b.TextContent.Trim()));
        Assert.All(buttons, b => Assert.True(b.HasAttribute("disabled")));
    }

    [Fact]
    public void A_student_in_line_shows_their_place()
    {
        var card = _context.Render<PassCard>(p => p.Add(c => c.Pass, Pass(queuePlace: 3, state: PassState.Queued)).Add(c => c.Now, Started));

        Assert.Contains("number 3 in line", card.Find(".pt-place").TextContent, StringComparison.Ordinal);
    }

    public void Dispose() => _context.Dispose();
}
