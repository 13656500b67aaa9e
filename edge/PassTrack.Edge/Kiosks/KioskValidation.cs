using System.Buffers;
using System.Text.Json;
using PassTrack.Contracts.Protocol;

namespace PassTrack.Edge.Kiosks;

/// <summary>What a well-formed kiosk message holds beyond what the JSON reader checks: ids, sizes, defined enum values.</summary>
internal static class KioskValidation
{
    public const int MaxIdLength = 64;

    /// <summary>Null when the message is sane, otherwise what is wrong with it.</summary>
    public static string? Check(object message) => message switch
    {
        ScanRequest s when !IsId(s.ScanId) => "scanId must be 1 to 64 printable ASCII characters",
        ScanRequest s when !Enum.IsDefined(s.Kind) => "kind is not a credential type",
        ScanRequest s when !IsValue(s.Value) => "value must be 1 to 64 printable characters",
        ScanRequest s when s.ScannedAt == default => "scannedAt is missing",
        ChooseRequest c when !IsId(c.ScanId) => "scanId must be 1 to 64 printable ASCII characters",
        ChooseRequest c when !IsId(c.ForScan) => "forScan must be the scan id of the student's scan",
        ChooseRequest c when !c.LeaveLine && !IsValue(c.DestinationId) => "destinationId is missing",
        ChooseRequest c when c.ChosenAt == default => "chosenAt is missing",
        StaffActionRequest a when !IsId(a.ScanId) => "scanId must be 1 to 64 printable ASCII characters",
        StaffActionRequest a when !IsId(a.ForScan) => "forScan must be the scan id of the staff card's scan",
        StaffActionRequest a when !Enum.IsDefined(a.Action) => "action is not a staff action",
        StaffActionRequest a when a.At == default => "at is missing",
        StaffActionRequest { Action: StaffAction.EnrolCard } a when !IsValue(a.StudentNumber) => "studentNumber is missing",
        StaffActionRequest { Action: StaffAction.EnrolCard } a when !IsCardHex(a.Card) => "card must be the card's UID in hex (4, 7 or 10 bytes)",
        KioskStatusMessage k when !Enum.IsDefined(k.State) => "state is not Online or Offline",
        KioskStatusMessage k when k.Firmware is { Length: > MaxIdLength } => "firmware is too long",
        TelemetryMessage t when !Enum.IsDefined(t.Reader) => "reader is not a reader health",
        TelemetryMessage t when t.UptimeSeconds < 0 || t.QueuedScans < 0 => "uptimeSeconds and queuedScans cannot be negative",
        TelemetryMessage t when t.Firmware is null || t.Firmware.Length > MaxIdLength => "firmware must be at most 64 characters",
        UpdateReport u when !Contracts.Updates.UpdateSignature.IsSafeVersion(u.Version) => "version must be 1 to 64 letters, digits, '.', '-' or '+'",
        UpdateReport u when !Enum.IsDefined(u.Stage) => "stage is not an update stage",
        UpdateReport u when u.Detail is { Length: > 500 } => "detail must be at most 500 characters",
        UpdateReport u when u.At == default => "at is missing",
        _ => null,
    };

    public static int VersionOf(object message) => message switch
    {
        ScanRequest s => s.V,
        ChooseRequest c => c.V,
        StaffActionRequest a => a.V,
        KioskStatusMessage k => k.V,
        TelemetryMessage t => t.V,
        UpdateReport u => u.V,
        _ => 0,
    };

    public static string? ScanIdOf(object? message) => message switch
    {
        ScanRequest s when IsId(s.ScanId) => s.ScanId,
        ChooseRequest c when IsId(c.ScanId) => c.ScanId,
        StaffActionRequest a when IsId(a.ScanId) => a.ScanId,
        _ => null,
    };

    /// <summary>The top-level <c>v</c> of a payload that did not parse as this version's message, if it has one.</summary>
    public static int? SniffVersion(ReadOnlySequence<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 8 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isVersion = reader.ValueTextEquals("v"u8);
                if (!reader.Read())
                {
                    return null;
                }
                if (isVersion)
                {
                    return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var v) ? v : null;
                }
                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }

    public static bool IsId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxIdLength)
        {
            return false;
        }
        foreach (var c in id)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A card UID as the kiosk reports it: hex digits, optionally separated, of an ISO 14443A UID's length.</summary>
    private static bool IsCardHex(string? value)
    {
        if (value is null || value.Length > MaxIdLength)
        {
            return false;
        }
        var digits = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiHexDigit(c))
            {
                digits++;
            }
            else if (c is not (':' or '-' or ' '))
            {
                return false;
            }
        }
        return digits is 8 or 14 or 20;
    }

    // A loop, not LINQ: this runs on every scan and choice, and an enumerator and delegate each time add up.
    private static bool IsValue(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxIdLength)
        {
            return false;
        }
        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return false;
            }
        }
        return true;
    }
}
