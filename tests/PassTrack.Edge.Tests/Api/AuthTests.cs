using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using PassTrack.Edge.Passes;
using PassTrack.Edge.Security;
using static PassTrack.Edge.Tests.Api.ApiClient;

namespace PassTrack.Edge.Tests.Api;

public class AuthTests
{
    [Fact]
    public async Task Without_a_key_the_api_answers_401_with_a_challenge_and_problem_details()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var client = edge.CreateClient();

        using var response = await client.GetAsync("/api/passes/active", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(ApiKeyDefaults.Scheme, response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Null(await response.ReasonAsync());
    }

    [Fact]
    public async Task A_key_without_the_scope_gets_403_and_one_with_it_gets_through()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var events = await edge.ClientAsync(Scopes.Events);
        using var reader = await edge.ClientAsync(Scopes.PassesRead);

        using var refused = await events.GetAsync("/api/passes/active", Ct);
        using var allowed = await reader.GetAsync("/api/passes/active", Ct);
        using var writeRefused = await reader.PostJsonAsync("/api/emergency/lockdown", new { });

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, writeRefused.StatusCode);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_from_the_next_request_on()
    {
        using var edge = await new EdgeHost().StartedAsync();
        var key = await edge.KeyAsync("dashboard", Scopes.PassesRead);
        using var client = edge.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyDefaults.Header, key);
        using var before = await client.GetAsync("/api/passes/active", Ct);

        Assert.Equal(1, await edge.Services.GetRequiredService<ApiKeyStore>().RevokeAsync("dashboard", Ct));
        using var after = await client.GetAsync("/api/passes/active", Ct);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("pt_abcdefgh_")]
    [InlineData("pt_ABCDEFGH_secret")]
    [InlineData("pt_zzzzzzzz_unknownsecretunknownsecret")]
    public async Task Malformed_and_unknown_keys_are_refused_alike(string key)
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var client = edge.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyDefaults.Header, key);

        using var response = await client.GetAsync("/api/passes/active", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_right_prefix_with_a_wrong_secret_is_refused()
    {
        using var edge = await new EdgeHost().StartedAsync();
        var key = await edge.KeyAsync("dashboard", Scopes.PassesRead);
        using var client = edge.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyDefaults.Header, key[..^4] + "AAAA");

        using var response = await client.GetAsync("/api/passes/active", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_key_may_come_in_the_authorization_header()
    {
        using var edge = await new EdgeHost().StartedAsync();
        var key = await edge.KeyAsync("dashboard", Scopes.PassesRead);
        using var client = edge.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(ApiKeyDefaults.Scheme, key);

        using var response = await client.GetAsync("/api/passes/active", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_configured_bootstrap_key_is_installed_on_a_new_store_with_every_scope()
    {
        var (key, setting) = ApiKeyStore.NewBootstrap();
        using var edge = await new EdgeHost(configure: s => s["Edge:BootstrapApiKeyHash"] = setting).StartedAsync();
        using var client = edge.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyDefaults.Header, key);

        foreach (var url in new[] { "/api/passes/active", "/api/kiosks", "/api/events", "/api/config/encounter-groups", "/api/emergency" })
        {
            using var response = await client.GetAsync(url, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {response.StatusCode}");
        }
    }

    [Fact]
    public async Task The_person_acting_through_a_shared_key_is_recorded_on_the_pass_and_in_the_audit()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var client = await edge.ClientAsync(Scopes.PassesWrite, Scopes.PassesRead);
        client.DefaultRequestHeaders.Add(ApiKeyDefaults.ActingUserHeader, "  Ms. Rivera ");
        var student = edge.PlainStudents()[0];

        using var created = await client.PostJsonAsync("/api/passes", new { studentId = student.Id.Value, originRoomId = student.Homeroom!.Value.Value, destinationId = "locker" });
        var passId = (await created.ReadAsync<Edge.Api.DecisionDto>()).PassId!;
        using var read = await client.GetAsync($"/api/passes/{passId}", Ct);
        var pass = await read.ReadAsync<PassDto>();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("Ms. Rivera (via test-passes:write-passes:read)", pass.CreatedBy);
        Assert.Contains(await edge.AuditAsync(), a => a.Action == "passes.create" && a.Actor == "Ms. Rivera (via test-passes:write-passes:read)");
    }

    [Fact]
    public async Task The_openapi_document_needs_no_key()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var client = edge.CreateClient();

        using var openApi = await client.GetAsync("/openapi/v1.json", Ct);

        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
    }
}
