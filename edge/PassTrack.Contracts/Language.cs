namespace PassTrack.Contracts; public enum Language { English, Spanish }
