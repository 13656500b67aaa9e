using System.Text.Json;
using PassTrack.Contracts;
using PassTrack.Contracts.Passes;
using PassTrack.Contracts.Protocol;
using PassTrack.Rules.Decisions;

namespace PassTrack.Edge.Kiosks;

/// <summary>Decision replies as kiosks receive them: the decision in the student's language, or why the edge refused.</summary>
public static class KioskReplies
{
    /// <summary>
    /// The reply to a scan or choice. Runs on the building's writer loop, inside the commit, so it stays cheap: one
    /// language's text and source-generated JSON. <paramref name="language"/> is used when the decision names no student
    /// (leaving a line), so the student keeps reading their own language.
    /// </summary>
    public static byte[] Render(string scanId, Decision decision, Language? language = null)
    {
        var lang = decision.Student is null && language is { } known ? known : decision.Language;
        var reply = new DecisionReply(Protocol.Version, scanId, decision.Outcome, decision.Reason, decision.MessageIn(lang), lang)
        {
            PassId = decision.Pass?.ToString(),
            StudentId = decision.Student?.Value,
            FirstName = string.IsNullOrEmpty(decision.Names.StudentFirstName) ? null : decision.Names.StudentFirstName,
            QueuePosition = decision.QueuePosition,
            TimeLimitSeconds = Seconds(decision.TimeLimit),
            Until = decision.Until,
            WaitSeconds = Seconds(decision.Wait),
            StaffId = decision.Staff?.Value,
            StaffActions = decision.StaffPermissions is { } permissions ? StaffActionsFor(permissions) : null,
        };
        return JsonSerializer.SerializeToUtf8Bytes(reply, ProtocolJson.Default.DecisionReply);
    }

    /// <summary>A refusal by the edge itself: nothing was decided or applied. <paramref name="error"/> is one of <see cref="ProtocolErrors"/>.</summary>
    public static byte[] Error(string scanId, string error, Language language = Language.English)
    {
        IReadOnlyList<string> lines = (error, language) switch
        {
            (ProtocolErrors.NotStaff, _) => ["Staff card needed.", "Tap your staff card", "again."],
            (ProtocolErrors.ScanExpired or ProtocolErrors.UnknownScan, Language.Spanish) => ["Toca tu tarjeta", "otra vez, por favor."],
            (ProtocolErrors.ScanExpired or ProtocolErrors.UnknownScan, _) => ["Please tap your", "card again."],
            (ProtocolErrors.Unavailable, Language.Spanish) => ["Un momento...", "Guardado. Se enviará", "pronto."],
            (ProtocolErrors.Unavailable, _) => ["One moment...", "Saved. It will be", "sent shortly."],
            (_, Language.Spanish) => ["Error del quiosco.", "Habla con tu", "maestro."],
            _ => ["Kiosk error.", "Please see your", "teacher."],
        };
        var reply = new DecisionReply(Protocol.Version, scanId, Outcome.Refused, ReasonCode.NotPermitted, lines, language) { Error = error };
        return JsonSerializer.SerializeToUtf8Bytes(reply, ProtocolJson.Default.DecisionReply);
    }

    /// <summary>Reads a reply the edge stored, to check what a choice refers to.</summary>
    public static DecisionReply? Read(byte[] stored)
    {
        try
        {
            return JsonSerializer.Deserialize(stored, ProtocolJson.Default.DecisionReply);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The actions a kiosk offers a staff member; the edge checks the permission again when they act.</summary>
    private static List<StaffAction> StaffActionsFor(Rules.StaffPermissions permissions)
    {
        var actions = new List<StaffAction>(3);
        if (permissions.HasFlag(Rules.StaffPermissions.Emergency))
        {
            actions.Add(StaffAction.Lockdown);
            actions.Add(StaffAction.Clear);
        }
        if (permissions.HasFlag(Rules.StaffPermissions.EnrolCards))
        {
            actions.Add(StaffAction.EnrolCard);
        }
        return actions;
    }

    private static int? Seconds(TimeSpan? span) =>
        span is { } s ? (int)Math.Round(s.TotalSeconds, MidpointRounding.AwayFromZero) : null;
}
