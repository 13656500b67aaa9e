using PassTrack.Contracts;
using PassTrack.Contracts.Passes;

namespace PassTrack.Rules.Decisions;

/// <summary>
/// The answer to one command: the outcome, why, and what to tell the student (English and Spanish, sized for a
/// 20x4 LCD) and staff. The texts are rendered on first read, so deciding stays cheap when nobody reads them.
/// </summary>
public sealed class Decision
{
    private StudentMessage? _studentMessage;
    private string? _staffExplanation;

    public Decision(Outcome outcome, ReasonCode reason)
    {
        Outcome = outcome;
        Reason = reason;
    }

    public Outcome Outcome { get; }

    public ReasonCode Reason { get; }

    public PassId? Pass { get; init; }

    public StudentId? Student { get; init; }

    public Language Language { get; init; }

    /// <summary>1 is next in line.</summary>
    public int? QueuePosition { get; init; }

    public DestinationId? Destination { get; init; }

    public TimeSpan? TimeLimit { get; init; }

    /// <summary>Back by, claim by or approval by, depending on the outcome.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>How long to wait before trying again (buffers, cooldown) or how long the student was out (returns).</summary>
    public TimeSpan? Wait { get; init; }

    public MessageNames Names { get; init; } = MessageNames.Empty;

    /// <summary>For <see cref="Outcome.StaffIdentified"/>: whose card it was, and what they may do.</summary>
    public StaffId? Staff { get; init; }

    public StaffPermissions? StaffPermissions { get; init; }

    /// <summary>The student's message in both languages.</summary>
    public StudentMessage StudentMessage => _studentMessage ??= StudentMessages.Render(this);

    /// <summary>The student's message in one language: what their kiosk shows.</summary>
    public IReadOnlyList<string> MessageIn(Language language) =>
        _studentMessage?.In(language) ?? StudentMessages.Render(this, language);

    public string StaffExplanation => _staffExplanation ??= StaffExplanations.Render(this);

    public bool IsGranted => Outcome == Outcome.Granted;

    public override string ToString() => $"{Outcome} {Reason}";
}

/// <summary>The names a message mentions, already resolved from the building's configuration.</summary>
public sealed record MessageNames(
    string StudentFirstName,
    string StudentFullName,
    string Destination,
    string DestinationSpanish,
    string Room)
{
    /// <summary>The staff member a staff card or staff action names.</summary>
    public string Staff { get; init; } = "";

    public static readonly MessageNames Empty = new("", "", "", "", "");
}

/// <summary>Lines of at most 20 characters, at most 4 of them, in each language.</summary>
public sealed record StudentMessage(IReadOnlyList<string> English, IReadOnlyList<string> Spanish)
{
    public const int Columns = 20;
    public const int Rows = 4;

    public IReadOnlyList<string> In(Language language) => language == Language.Spanish ? Spanish : English;
}
