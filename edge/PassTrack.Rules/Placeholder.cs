namespace PassTrack.Rules; internal static class Placeholder { }
