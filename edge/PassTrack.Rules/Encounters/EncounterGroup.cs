namespace PassTrack.Rules.Encounters;

/// <summary>Students who must never be out at the same time. A paused group is kept but not enforced.</summary>
public sealed record EncounterGroup(EncounterGroupId Id, IReadOnlyList<StudentId> Members, bool Paused = false, string? Note = null);
