using System.Net;
using Microsoft.AspNetCore.Hosting;
using static PassTrack.Edge.Tests.Api.ApiClient;

namespace PassTrack.Edge.Tests.Api;

public class OpenApiTests
{
    [Fact]
    public async Task The_openapi_document_describes_every_group_and_the_api_key_scheme()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var client = edge.CreateClient();

        using var response = await client.GetAsync("/openapi/v1.json", Ct);
        var document = await response.JsonAsync();
        var paths = document.GetProperty("paths");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var path in new[]
        {
            "/api/passes/active", "/api/passes/{id}/end", "/api/passes/history", "/api/scheduled-passes", "/api/recurring-passes/{id}",
            "/api/emergency/lockdown", "/api/summons", "/api/config/destinations/{id}", "/api/config/policy", "/api/config/encounter-groups/{id}",
            "/api/encounters/blocked-attempts", "/api/students", "/api/kiosks/{id}/approve", "/api/events", "/api/events/live",
        })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from the document");
        }
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());
        Assert.True(paths.GetProperty("/api/passes/active").GetProperty("get").TryGetProperty("security", out _));
    }

    [Fact]
    public async Task The_interactive_page_is_served_in_development_only()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var client = edge.CreateClient();
        using var development = new EdgeHost().WithWebHostBuilder(b => b.UseEnvironment("Development"));
        using var developer = development.CreateClient();

        using var testing = await client.GetAsync("/scalar", Ct);
        using var page = await developer.GetAsync("/scalar", Ct);

        Assert.Equal(HttpStatusCode.NotFound, testing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
    }
}
