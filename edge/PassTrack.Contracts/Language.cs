namespace PassTrack.Contracts;

/// <summary>The language a student reads kiosk messages in. Every student-facing text exists in both.</summary>
public enum Language
{
    English,
    Spanish,
}
