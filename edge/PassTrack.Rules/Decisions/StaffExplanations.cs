using System.Globalization;
using PassTrack.Contracts.Passes;

namespace PassTrack.Rules.Decisions;

/// <summary>What staff read about a decision. Encounter blocks are told only as "blocked by a building rule".</summary>
public static class StaffExplanations
{
    public static string Render(Decision d)
    {
        var who = d.Names.StudentFullName.Length > 0 ? d.Names.StudentFullName : "The student";
        var dest = d.Names.Destination;
        var room = d.Names.Room;
        var minutes = d.TimeLimit is { } t ? ((int)Math.Ceiling(t.TotalMinutes)).ToString(CultureInfo.InvariantCulture) : "?";
        var wait = d.Wait is { } w ? ((int)Math.Ceiling(w.TotalMinutes)).ToString(CultureInfo.InvariantCulture) : "?";
        var i = CultureInfo.InvariantCulture;

        return (d.Outcome, d.Reason) switch
        {
            (Outcome.Granted, ReasonCode.RoutedToDesignatedRestroom) => string.Create(i, $"{who} was granted a pass to {dest} (their designated restroom) for {minutes} min."),
            (Outcome.Granted, ReasonCode.RoutedAroundClosedDestination) => string.Create(i, $"{who} was granted a pass to {dest}, the nearest open alternative, for {minutes} min."),
            (Outcome.Granted, ReasonCode.SummonsAcknowledged) => string.Create(i, $"{who} acknowledged the summons; pass to {dest} started ({minutes} min)."),
            (Outcome.Granted, ReasonCode.ExemptByAccommodation) => string.Create(i, $"{who} was granted a pass to {dest} for {minutes} min under their accommodation plan."),
            (Outcome.Granted, ReasonCode.StaffOverride) => string.Create(i, $"{who} was granted a pass to {dest} for {minutes} min by staff override."),
            (Outcome.Granted, _) => string.Create(i, $"{who} was granted a pass from {room} to {dest} for {minutes} min."),
            (Outcome.Queued, _) => string.Create(i, $"{dest} is full; {who} is #{d.QueuePosition} in its line."),
            (Outcome.Status, ReasonCode.WaitingInQueue) => string.Create(i, $"{who} is #{d.QueuePosition} in line for {dest}."),
            (Outcome.PendingApproval, ReasonCode.DailyLimitReached) => $"{who} has reached the daily pass limit; the pass to {dest} needs the teacher's approval.",
            (Outcome.PendingApproval, ReasonCode.WeeklyLimitReached) => $"{who} has reached the weekly pass limit; the pass to {dest} needs the teacher's approval.",
            (Outcome.PendingApproval, _) or (Outcome.Status, ReasonCode.WaitingForApproval) => $"The pass for {who} to {dest} is waiting for approval.",
            (Outcome.Identified, _) => $"{who} identified at {room}.",
            (Outcome.Returned, ReasonCode.CheckedInElsewhere) => $"{who} checked in at {room}; their pass was ended.",
            (Outcome.Returned, _) => string.Create(i, $"{who} returned after {Clock(d.Wait)}."),
            (Outcome.Arrived, ReasonCode.WrongDestination) => $"{who} tapped in at {room}, but their pass is for {dest}.",
            (Outcome.Arrived, _) => $"{who} arrived at {dest}.",
            (Outcome.Status, ReasonCode.TardyRecorded) => string.Create(i, $"{who} was recorded tardy at {room}, {wait} min late."),
            (Outcome.Status, ReasonCode.AccountedFor) => $"{who}, out when the emergency began, checked in at {room}.",
            (Outcome.Accepted, ReasonCode.CardEnrolled) => $"A new card was enrolled to {who}.",
            (Outcome.Accepted, _) => "Done.",
            (Outcome.StaffIdentified, _) => $"{d.Names.Staff} opened staff actions at a kiosk.",
            (_, ReasonCode.CredentialInUse) => "Refused: the card is already registered to someone else.",
            (_, ReasonCode.EncounterBlocked) => $"The request from {who} was blocked by a building rule. A counselor or administrator can see why.",
            (_, ReasonCode.Lockdown) => "Refused: the building is in lockdown.",
            (_, ReasonCode.FireDrill) => "Refused: a fire drill is in progress.",
            (_, ReasonCode.UnknownCredential) => "Refused: the card or code is not registered to any student.",
            (_, ReasonCode.StudentNotEnrolled) => $"Refused: {who} is not enrolled in this building.",
            (_, ReasonCode.KioskNotBound) => "Refused: the kiosk is not approved or not bound to a room.",
            (_, ReasonCode.UnknownRoom) => "Refused: the room is not known to this building.",
            (_, ReasonCode.UnknownDestination) => "Refused: the destination is not known to this building.",
            (_, ReasonCode.AlreadyOut) => $"Refused: {who} is already out on a pass.",
            (_, ReasonCode.PassAlreadyWaiting) => $"Refused: {who} already has a pass waiting in line or for approval.",
            (_, ReasonCode.TestingPeriod) => "Refused: passes are off for testing.",
            (_, ReasonCode.PassesDisabled) => "Refused: passes are switched off for this room or period.",
            (_, ReasonCode.NoSchoolToday) => "Refused: there is no school today.",
            (_, ReasonCode.OutsideClassTime) => "Refused: it is not class time.",
            (_, ReasonCode.PeriodStartBuffer) => string.Create(i, $"Refused: too early in the period; passes open in {wait} min."),
            (_, ReasonCode.PeriodEndBuffer) => "Refused: too close to the end of the period.",
            (_, ReasonCode.RestrictedDestination) => $"Refused: {dest} is restricted for {who}.",
            (_, ReasonCode.DestinationClosed) => $"Refused: {dest} is closed and no open alternative exists.",
            (_, ReasonCode.Cooldown) => string.Create(i, $"Refused: {who} had a pass recently; cooldown ends in {wait} min."),
            (_, ReasonCode.RoomOutLimit) => $"Refused: the limit of students out from {room} is reached.",
            (_, ReasonCode.BuildingCap) => "Refused: the building-wide hallway cap is reached.",
            (_, ReasonCode.DestinationFull) => $"Refused: {dest} is full.",
            (_, ReasonCode.ClaimWindowExpired) => $"The place held for {who} at {dest} was not claimed in time.",
            (_, ReasonCode.ApprovalTimedOut) => $"The pass for {who} to {dest} was not approved in time.",
            (_, ReasonCode.Denied) => $"The pass for {who} to {dest} was denied.",
            (_, ReasonCode.NotPermitted) => "Refused: your role does not permit this action.",
            (_, ReasonCode.OverrideCommentRequired) => "Refused: an override needs a comment.",
            (_, ReasonCode.PassNotFound) => "Refused: no such open pass.",
            (_, ReasonCode.InvalidTransition) => "Refused: the pass is not in a state that allows this.",
            (_, ReasonCode.InvalidConfiguration) => "Refused: the configuration change is not valid.",
            _ => $"Refused ({d.Reason}).",
        };
    }

    private static string Clock(TimeSpan? span)
    {
        var s = span ?? TimeSpan.Zero;
        return string.Create(CultureInfo.InvariantCulture, $"{(int)s.TotalMinutes}:{s.Seconds:00}");
    }
}
