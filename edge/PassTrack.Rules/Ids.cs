namespace PassTrack.Rules;

// Typed ids keep a student from being passed where a room is expected. Text ids come from the school's own systems.

public readonly record struct StudentId(string Value)
{
    public override string ToString() => Value;
}

public readonly record struct RoomId(string Value)
{
    public override string ToString() => Value;
}

public readonly record struct SectionId(string Value)
{
    public override string ToString() => Value;
}

public readonly record struct DestinationId(string Value)
{
    public override string ToString() => Value;
}

public readonly record struct KioskId(string Value)
{
    public override string ToString() => Value;
}

public readonly record struct EncounterGroupId(string Value)
{
    public override string ToString() => Value;
}

public readonly record struct StaffId(string Value)
{
    public override string ToString() => Value;
}

public readonly record struct RecurringPassId(string Value)
{
    public override string ToString() => Value;
}

/// <summary>Numbered by the building in the order passes are created, so a rebuild gives every pass the same id.</summary>
public readonly record struct PassId(long Value)
{
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public readonly record struct SummonsId(long Value)
{
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
