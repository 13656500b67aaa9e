namespace PassTrack.Contracts.Passes;

/// <summary>
/// Why a decision came out the way it did. Stable: the values are stored, sent to kiosks and shown in reports,
/// so add new codes at the end of their group and never renumber.
/// </summary>
public enum ReasonCode
{
    // Success
    Ok = 0,
    RoutedToDesignatedRestroom = 1,
    RoutedAroundClosedDestination = 2,
    SummonsAcknowledged = 3,
    ExemptByAccommodation = 4,
    StaffOverride = 5,
    QueueClaimed = 6,
    CardEnrolled = 7,

    // Rule 1: emergencies
    Lockdown = 100,
    FireDrill = 101,

    // Rule 2: who is asking
    UnknownCredential = 200,
    StudentNotEnrolled = 201,
    KioskNotBound = 202,
    UnknownRoom = 203,
    UnknownDestination = 204,
    AlreadyOut = 205,
    PassAlreadyWaiting = 206,
    PassReturned = 207,
    CheckedInElsewhere = 208,

    // Rule 3 and the calendar
    TestingPeriod = 300,
    PassesDisabled = 301,
    NoSchoolToday = 302,
    OutsideClassTime = 303,

    // Rule 4
    PeriodStartBuffer = 400,
    PeriodEndBuffer = 401,

    // Rule 5
    RestrictedDestination = 500,
    DestinationClosed = 501,

    // Rule 6
    DailyLimitReached = 600,
    WeeklyLimitReached = 601,

    // Rule 7
    Cooldown = 700,

    // Rule 8 and 9
    RoomOutLimit = 800,
    BuildingCap = 900,

    // Rule 10
    EncounterBlocked = 1000,

    // Rule 11: capacity and the virtual queue
    DestinationFull = 1100,
    WaitingInQueue = 1101,
    ClaimWindowOpen = 1102,
    ClaimWindowExpired = 1103,

    // Rule 12: approvals
    ApprovalRequired = 1200,
    WaitingForApproval = 1201,
    ApprovalTimedOut = 1202,
    Denied = 1203,

    // Staff actions and permissions
    NotPermitted = 1300,
    OverrideCommentRequired = 1301,
    PassNotFound = 1302,
    InvalidTransition = 1303,
    InvalidConfiguration = 1304,
    /// <summary>The card is already registered to someone else: it must be taken off them first.</summary>
    CredentialInUse = 1305,

    // Running passes
    ArrivalRecorded = 1400,
    WrongDestination = 1401,
    AlreadyArrived = 1402,
    TardyRecorded = 1403,
    AccountedFor = 1404,
}
