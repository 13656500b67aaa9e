namespace PassTrack.Rules.Tests;

internal static class StateDump
{
    public static string Of(Building building) => building.DescribeState();
}
