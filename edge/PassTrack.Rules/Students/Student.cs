using PassTrack.Contracts;

namespace PassTrack.Rules.Students;

public enum CredentialKind
{
    /// <summary>An ISO 14443A card UID as upper-case hex, most significant byte first.</summary>
    Card,
    /// <summary>The value printed as a barcode or QR code on an ID.</summary>
    Barcode,
    /// <summary>The student number typed on a keypad.</summary>
    StudentNumber,
}

/// <summary>Something a student presents at a kiosk. A student may hold several.</summary>
public readonly record struct Credential(CredentialKind Kind, string Value);

/// <summary>What a 504 plan, IEP or medical note changes. Each exemption applies exactly where the rules say.</summary>
public sealed record Accommodations
{
    public static readonly Accommodations None = new();

    /// <summary>504, IEP, medical... shown to staff, never to other students.</summary>
    public string? Plan { get; init; }

    public bool ExemptFromDailyLimits { get; init; }

    public bool ExemptFromCapacity { get; init; }

    public bool ExemptFromPeriodBuffers { get; init; }

    /// <summary>Minutes added to the time limit for passes to destinations of a kind.</summary>
    public IReadOnlyDictionary<Configuration.DestinationKind, TimeSpan> ExtraTime { get; init; } =
        new Dictionary<Configuration.DestinationKind, TimeSpan>();
}

/// <summary>The rules that are particular to one student.</summary>
public sealed record StudentProfile
{
    public static readonly StudentProfile Default = new();

    /// <summary>Restrooms this student is routed to when asking for a restroom.</summary>
    public IReadOnlyList<DestinationId> DesignatedRestrooms { get; init; } = [];

    public Accommodations Accommodations { get; init; } = Accommodations.None;

    public IReadOnlyList<DestinationId> RestrictedDestinations { get; init; } = [];

    /// <summary>Replaces the building's daily limit for this student.</summary>
    public int? DailyLimit { get; init; }

    /// <summary>The counselor destination summons "to my counselor" are routed to.</summary>
    public DestinationId? Counselor { get; init; }
}

public sealed record Student(
    StudentId Id,
    string FirstName,
    string LastName,
    int Grade,
    Language Language,
    RoomId? Homeroom,
    IReadOnlyList<Credential> Credentials)
{
    public StudentProfile Profile { get; init; } = StudentProfile.Default;

    public bool Enrolled { get; init; } = true;

    /// <summary>Where the student is each period (period name to room), when the school provides it. Used to deliver summons.</summary>
    public IReadOnlyDictionary<string, RoomId> Timetable { get; init; } = new Dictionary<string, RoomId>();

    public string FullName => $"{FirstName} {LastName}";
}
