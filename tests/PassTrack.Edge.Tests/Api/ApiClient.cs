using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PassTrack.Contracts.Passes;
using PassTrack.Edge.Security;
using PassTrack.Edge.Store;
using PassTrack.Rules;
using PassTrack.Rules.Students;

namespace PassTrack.Edge.Tests.Api;

/// <summary>What API tests share: keys with chosen scopes, students the rules leave alone, JSON as the API writes it.</summary>
internal static class ApiClient
{
    public static readonly JsonSerializerOptions Json = CreateJson();

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A client sending a fresh key that carries exactly <paramref name="scopes"/>.</summary>
    public static async Task<HttpClient> ClientAsync(this EdgeHost edge, params string[] scopes)
    {
        var key = await edge.KeyAsync($"test-{string.Join('-', scopes)}", scopes);
        var client = edge.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyDefaults.Header, key);
        return client;
    }

    public static async Task<string> KeyAsync(this EdgeHost edge, string name, params string[] scopes)
    {
        await edge.StartedAsync();
        return (await edge.Services.GetRequiredService<ApiKeyStore>().CreateAsync(name, scopes, Ct)).Key;
    }

    /// <summary>Enrolled students with a homeroom and no plan, restriction, designated restroom, own limit or encounter group: one per homeroom.</summary>
    public static List<Student> PlainStudents(this EdgeHost edge)
    {
        var configuration = edge.Writer.StartingConfiguration;
        var grouped = configuration.EncounterGroups.SelectMany(g => g.Members).ToHashSet();
        return configuration.Students
            .Where(s => s.Enrolled && s.Homeroom is not null && !grouped.Contains(s.Id) && s.Profile.Accommodations.Plan is null
                && s.Profile.RestrictedDestinations.Count == 0 && s.Profile.DesignatedRestrooms.Count == 0 && s.Profile.DailyLimit is null)
            .DistinctBy(s => s.Homeroom)
            .ToList();
    }

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response)
    {
        // As text, so a test may read the same body more than once.
        return JsonSerializer.Deserialize<T>(await response.Content.ReadAsStringAsync(Ct), Json)!;
    }

    public static Task<JsonElement> JsonAsync(this HttpResponseMessage response) => response.ReadAsync<JsonElement>();

    public static Task<HttpResponseMessage> PostJsonAsync<T>(this HttpClient client, string url, T body) =>
        client.PostAsJsonAsync(url, body, Json, Ct);

    public static Task<HttpResponseMessage> PutJsonAsync<T>(this HttpClient client, string url, T body) =>
        client.PutAsJsonAsync(url, body, Json, Ct);

    /// <summary>The problem body's reason, as the engine named it.</summary>
    public static async Task<string?> ReasonAsync(this HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        return problem.TryGetProperty("reason", out var reason) ? reason.GetString() : null;
    }

    /// <summary>A pass a student asked for at their homeroom's kiosk, as the engine decided it.</summary>
    public static async Task<Rules.Decisions.Decision> KioskRequestAsync(this EdgeHost edge, Student student, string destination)
    {
        var committed = await edge.Writer.SubmitAsync(new Rules.Passes.RequestPass(student.Id, student.Homeroom!.Value, new DestinationId(destination),
            PassSource.Kiosk, edge.Clock.GetUtcNow(), Actor.OfStudent(student.Id)), Ct);
        return committed.Decision!;
    }

    public static async Task<List<AuditEntry>> AuditAsync(this EdgeHost edge)
    {
        await using var scope = edge.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<EdgeDb>().Audit.AsNoTracking().OrderBy(a => a.Id).ToListAsync(Ct);
    }

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }
}
