using Microsoft.AspNetCore.Http.HttpResults;
using System.Globalization;
using PassTrack.Contracts.Passes;
using PassTrack.Rules.Decisions;

namespace PassTrack.Edge.Api;

/// <summary>
/// How the API says no, always as problem details. An engine refusal carries its reason code and the staff explanation:
/// 403 when the key's permissions fall short, 404 for a pass that does not exist, 409 for every other rule.
/// </summary>
public static class Problems
{
    public static int StatusFor(ReasonCode reason) => reason switch
    {
        ReasonCode.NotPermitted => StatusCodes.Status403Forbidden,
        ReasonCode.PassNotFound => StatusCodes.Status404NotFound,
        _ => StatusCodes.Status409Conflict,
    };

    public static ProblemHttpResult Refused(Decision decision) => Refused(decision.Reason, decision.StaffExplanation, decision.Outcome);

    public static ProblemHttpResult Refused(ReasonCode reason, string explanation, Outcome outcome = Outcome.Refused) =>
        TypedResults.Problem(
            statusCode: StatusFor(reason),
            title: Title(reason),
            detail: explanation,
            type: $"urn:passtrack:reason:{reason}",
            extensions: new Dictionary<string, object?>
            {
                ["reason"] = reason.ToString(),
                ["reasonCode"] = (int)reason,
                ["outcome"] = outcome.ToString(),
            });

    public static ProblemHttpResult NotFound(string what, string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No {what} '{id}' in this building.");

    /// <summary>One field is wrong: 400 with the field and a message a person can act on.</summary>
    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request is not valid.");

    public static ValidationProblem Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is not valid.");

    /// <summary>"InvalidConfiguration" reads "Invalid configuration".</summary>
    private static string Title(ReasonCode reason)
    {
        var name = reason.ToString();
        var text = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                text.Append(' ').Append(char.ToLower(name[i], CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(name[i]);
            }
        }
        return text.ToString();
    }
}
