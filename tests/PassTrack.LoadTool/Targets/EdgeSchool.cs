using System.Text.Json;
using PassTrack.LoadTool.Traffic;
using PassTrack.Rules.Configuration;

namespace PassTrack.LoadTool.Targets;

/// <summary>The school as the edge's API describes it: rooms, destinations, and students with their card UIDs.</summary>
public static class EdgeSchool
{
    /// <summary>Reads the school through the API, or returns null (and says why) if the API cannot give it.</summary>
    public static async Task<School?> ReadAsync(EdgeApi api, CancellationToken cancellationToken)
    {
        try
        {
            using var rooms = await api.GetJsonAsync("/api/config/rooms", cancellationToken);
            using var destinations = await api.GetJsonAsync("/api/config/destinations", cancellationToken);
            var roomList = rooms.RootElement.EnumerateArray().Select(r => (Text(r, "id")!, Text(r, "sectionId") ?? "")).ToList();
            var destinationList = destinations.RootElement.EnumerateArray()
                .Where(d => Bool(d, "open", true) && !Bool(d, "designated", false))
                .Select(d => (Text(d, "id")!, Text(d, "name") ?? "", Enum.Parse<DestinationKind>(Text(d, "kind")!, ignoreCase: true), Text(d, "sectionId"), Text(d, "arrivalRoomId")))
                .ToList();
            var students = new List<(string, string, string, string)>();
            for (var page = 1; ; page++)
            {
                using var doc = await api.GetJsonAsync($"/api/students?page={page}&pageSize=200", cancellationToken);
                var items = doc.RootElement.GetProperty("items").EnumerateArray().ToList();
                foreach (var s in items)
                {
                    var card = s.TryGetProperty("credentials", out var credentials) && credentials.ValueKind == JsonValueKind.Array
                        ? credentials.EnumerateArray().Where(c => string.Equals(Text(c, "kind"), "Card", StringComparison.OrdinalIgnoreCase)).Select(c => Text(c, "value")).FirstOrDefault()
                        : null;
                    if (card is not null && Text(s, "homeroomId") is { } homeroom && Bool(s, "enrolled", true))
                    {
                        students.Add((Text(s, "id")!, Text(s, "firstName") ?? "", card, homeroom));
                    }
                }
                if (items.Count == 0 || page * 200 >= doc.RootElement.GetProperty("total").GetInt32())
                {
                    break;
                }
            }
            if (students.Count == 0 || roomList.Count == 0 || destinationList.Count == 0)
            {
                Console.WriteLine($"  the edge's API gave {students.Count} students with cards, {roomList.Count} rooms, {destinationList.Count} destinations: using the demo school instead");
                return null;
            }
            return School.Of("the edge's school", roomList, students, destinationList);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or JsonException or KeyNotFoundException or ArgumentException)
        {
            Console.WriteLine($"  could not read the school from the edge's API ({ex.Message}): using the demo school instead");
            return null;
        }
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool Bool(JsonElement e, string name, bool fallback) =>
        e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : fallback;
}
