using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using PassTrack.Rules.Configuration;

namespace PassTrack.Rules.Json;

/// <summary>
/// How events and the building's configuration are written down: in the edge's store, and in the district's copy of
/// each building's log, which the dashboard replays into its own <see cref="Building"/>. Events are polymorphic by their type name;
/// typed ids are plain strings (or numbers); enums are names. The engine stays free of serialization concerns.
/// </summary>
public static class EventJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static readonly Dictionary<string, Type> EventTypes = typeof(BuildingEvent).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(BuildingEvent)) && !t.IsAbstract)
        .ToDictionary(t => t.Name, StringComparer.Ordinal);

    private static readonly Dictionary<Type, string> TypeNames = EventTypes.ToDictionary(t => t.Value, t => t.Key);

    private static readonly Dictionary<Type, byte[]> Utf8TypeNames = EventTypes.ToDictionary(t => t.Value, t => System.Text.Encoding.UTF8.GetBytes(t.Key));

    public static string TypeName(BuildingEvent e) => TypeNames[e.GetType()];

    /// <summary>The type name as UTF-8, made once per type: what the writer binds.</summary>
    public static byte[] Utf8TypeName(BuildingEvent e) => Utf8TypeNames[e.GetType()];

    public static string Serialize(BuildingEvent e) => JsonSerializer.Serialize(e, e.GetType(), Options);

    /// <summary>
    /// Writes the event's JSON (the same as <see cref="Serialize(BuildingEvent)"/>) as UTF-8 through a writer its caller
    /// keeps and resets, so the single writer's loop allocates no string or buffer per event.
    /// </summary>
    public static void Serialize(BuildingEvent e, Utf8JsonWriter writer) => JsonSerializer.Serialize(writer, e, e.GetType(), Options);

    public static BuildingEvent Deserialize(string type, string json)
    {
        if (!EventTypes.TryGetValue(type, out var clr))
        {
            throw new InvalidDataException($"The store holds an event of unknown type '{type}'.");
        }
        return (BuildingEvent)(JsonSerializer.Deserialize(json, clr, Options)
            ?? throw new InvalidDataException($"The store holds an empty '{type}' event."));
    }

    public static string Serialize(BuildingConfiguration configuration) => JsonSerializer.Serialize(configuration, Options);

    public static BuildingConfiguration DeserializeConfiguration(string json) =>
        JsonSerializer.Deserialize<BuildingConfiguration>(json, Options)
        ?? throw new InvalidDataException("The store holds an empty building configuration.");

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.Converters.Add(new StringIdConverter<StudentId>(v => new StudentId(v), id => id.Value));
        options.Converters.Add(new StringIdConverter<RoomId>(v => new RoomId(v), id => id.Value));
        options.Converters.Add(new StringIdConverter<SectionId>(v => new SectionId(v), id => id.Value));
        options.Converters.Add(new StringIdConverter<DestinationId>(v => new DestinationId(v), id => id.Value));
        options.Converters.Add(new StringIdConverter<KioskId>(v => new KioskId(v), id => id.Value));
        options.Converters.Add(new StringIdConverter<EncounterGroupId>(v => new EncounterGroupId(v), id => id.Value));
        options.Converters.Add(new StringIdConverter<StaffId>(v => new StaffId(v), id => id.Value));
        options.Converters.Add(new StringIdConverter<RecurringPassId>(v => new RecurringPassId(v), id => id.Value));
        options.Converters.Add(new NumberIdConverter<PassId>(v => new PassId(v), id => id.Value));
        options.Converters.Add(new NumberIdConverter<SummonsId>(v => new SummonsId(v), id => id.Value));
        options.MakeReadOnly();
        return options;
    }

    private sealed class StringIdConverter<T>(Func<string, T> create, Func<T, string> value) : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            create(reader.GetString() ?? throw new JsonException($"A {typeof(T).Name} cannot be null."));

        public override void Write(Utf8JsonWriter writer, T id, JsonSerializerOptions options) => writer.WriteStringValue(value(id));

        public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Read(ref reader, typeToConvert, options);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, T id, JsonSerializerOptions options) => writer.WritePropertyName(value(id));
    }

    private sealed class NumberIdConverter<T>(Func<long, T> create, Func<T, long> value) : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => create(reader.GetInt64());

        public override void Write(Utf8JsonWriter writer, T id, JsonSerializerOptions options) => writer.WriteNumberValue(value(id));
    }
}
