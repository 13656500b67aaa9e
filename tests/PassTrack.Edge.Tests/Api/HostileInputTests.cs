using System.Net;
using System.Text;
using System.Text.Json;
using PassTrack.Edge.Security;
using static PassTrack.Edge.Tests.Api.ApiClient;

namespace PassTrack.Edge.Tests.Api;

public class HostileInputTests
{
    public static TheoryData<string, string> BadBodies => new()
    {
        { "{not json", "a broken document" },
        { "[]", "an array" },
        { "null", "null" },
        { "{}", "no fields" },
        { """{"studentId":null,"originRoomId":"A101","destinationId":"locker"}""", "a null id" },
        { """{"studentId":12,"originRoomId":"A101","destinationId":"locker"}""", "a number for an id" },
        { """{"studentId":"../../etc/passwd","originRoomId":"A101","destinationId":"locker"}""", "a path for an id" },
        { """{"studentId":"100000","originRoomId":"A101","destinationId":"locker","override":"yes"}""", "a string for an object" },
        { new string('[', 5000) + new string(']', 5000), "deep nesting" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_body_is_a_400_problem_never_a_500(string body, string what)
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var client = await edge.ClientAsync(Scopes.PassesWrite);

        using var response = await client.PostAsync("/api/passes", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_huge_body_is_refused_before_it_is_read()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var client = await edge.ClientAsync(Scopes.PassesWrite);
        var huge = JsonSerializer.Serialize(new { studentId = "100000", originRoomId = "A101", destinationId = "locker", @override = new { comment = new string('x', 1_000_000) } });

        using var response = await client.PostAsync("/api/passes", new StringContent(huge, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_body_of_the_wrong_media_type_is_refused()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var client = await edge.ClientAsync(Scopes.PassesWrite);

        using var response = await client.PostAsync("/api/passes", new StringContent("studentId=1", Encoding.UTF8, "text/plain"), Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/passes/abc")]
    [InlineData("/api/passes/-1")]
    [InlineData("/api/passes/99999999999999999999999")]
    [InlineData("/api/passes/history?page=0")]
    [InlineData("/api/passes/history?pageSize=100000")]
    [InlineData("/api/passes/history?from=yesterday")]
    [InlineData("/api/passes/history?student=%00%01")]
    [InlineData("/api/students?page=2147483647&pageSize=200")]
    [InlineData("/api/students/a%20b")]
    [InlineData("/api/events?since=-5")]
    [InlineData("/api/events?since=abc")]
    [InlineData("/api/events/live?since=-1")]
    public async Task Bad_ids_and_query_values_are_400s(string url)
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var client = await edge.ClientAsync(Scopes.PassesRead, Scopes.Events);

        using var response = await client.GetAsync(url, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
