using Microsoft.Extensions.Logging;

namespace PassTrack.Kiosk.Hardware.CardReader;

internal static partial class Mfrc522Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Card reader ready: {Chip} (VersionReg 0x{Version:X2})")]
    public static partial void Ready(ILogger logger, string chip, byte version);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Card reader chip reports VersionReg 0x{Version:X2}: not an MFRC522 or a known clone")]
    public static partial void UnknownVersion(ILogger logger, byte version);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Card reader failed: {Reason}")]
    public static partial void ChipFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Card read abandoned: {Failure}")]
    public static partial void ReadFailed(ILogger logger, ReadFailure failure);
}
