using Microsoft.AspNetCore.Http.HttpResults;
using PassTrack.Contracts.Passes;
using PassTrack.Edge.Passes;
using PassTrack.Rules;
using PassTrack.Rules.Decisions;

namespace PassTrack.Edge.Api;

/// <summary>The engine's answer as staff systems see it, after it is committed.</summary>
public sealed record DecisionDto(
    Outcome Outcome,
    ReasonCode Reason,
    int ReasonCode,
    string? PassId,
    string? StudentId,
    string? DestinationId,
    int? QueuePosition,
    TimeSpan? TimeLimit,
    DateTimeOffset? Until,
    TimeSpan? Wait,
    string StaffExplanation,
    IReadOnlyList<string> StudentMessageEnglish,
    IReadOnlyList<string> StudentMessageSpanish,
    long Sequence)
{
    public static DecisionDto Of(Decision d, long sequence) => new(
        d.Outcome,
        d.Reason,
        (int)d.Reason,
        d.Pass is { } pass ? Checks.Text(pass) : null,
        d.Student?.Value,
        d.Destination?.Value,
        d.QueuePosition,
        d.TimeLimit,
        d.Until,
        d.Wait,
        d.StaffExplanation,
        d.StudentMessage.English,
        d.StudentMessage.Spanish,
        sequence);
}

public static class Decisions
{
    /// <summary>
    /// Submits a staff command and waits until it is durable. Null when it did what was asked (by default: anything
    /// but a refusal); otherwise the refusal as problem details.
    /// </summary>
    public static Task<(DecisionDto Decision, ProblemHttpResult? Refusal)> DecideAsync(this BuildingWriter writer, BuildingCommand command, CancellationToken cancellationToken) =>
        writer.DecideAsync(command, d => d.Outcome != Outcome.Refused, cancellationToken);

    public static async Task<(DecisionDto Decision, ProblemHttpResult? Refusal)> DecideAsync(
        this BuildingWriter writer, BuildingCommand command, Func<Decision, bool> succeeded, CancellationToken cancellationToken)
    {
        var committed = await writer.SubmitAsync(command, cancellationToken);
        var decision = committed.Decision ?? throw new InvalidOperationException("A staff command came back without a decision.");
        var ok = succeeded(decision);
        return (DecisionDto.Of(decision, committed.Sequence), ok ? null : Problems.Refused(decision));
    }
}
