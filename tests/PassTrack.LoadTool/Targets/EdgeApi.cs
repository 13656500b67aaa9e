using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace PassTrack.LoadTool.Targets;

/// <summary>The few calls of the edge's HTTP API the tool needs, with an API key (<c>Authorization: ApiKey KEY</c>).</summary>
public sealed class EdgeApi : IDisposable
{
    private readonly HttpClient _http;

    public EdgeApi(Uri baseAddress, string apiKey)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", apiKey);
    }

    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary>Asks <c>/health</c> once; anything but 200 is an error with what the edge said.</summary>
    public async Task CheckHealthyAsync(CancellationToken cancellationToken)
    {
        string said;
        try
        {
            using var response = await _http.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }
            said = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}";
        }
        catch (HttpRequestException ex)
        {
            said = ex.Message;
        }
        throw new InvalidOperationException($"The edge at {BaseAddress} is not healthy: {said}");
    }

    /// <summary>
    /// Approves a kiosk and binds it to a room. Call it once the kiosk's connection was answered: the edge stores an
    /// enrolling device before it answers the CONNECT, so the kiosk is known by then.
    /// </summary>
    public async Task ApproveAsync(string kioskId, string roomId, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(new Uri($"/api/kiosks/{kioskId}/approve", UriKind.Relative), new ApproveBody(roomId), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Approving kiosk {kioskId} for room {roomId} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    /// <summary>GETs a JSON document; throws <see cref="HttpRequestException"/> on a non-success status.</summary>
    public async Task<System.Text.Json.JsonDocument> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await System.Text.Json.JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Sets the building policy's "passes outside periods" so that a run at night or at the weekend sees the same
    /// decisions as one in class time (the edge decides on its real clock). Returns false if the API refused.
    /// </summary>
    public Task<bool> AllowPassesAnyTimeAsync(CancellationToken cancellationToken) =>
        UpdatePolicyAsync(policy =>
        {
            if (policy["passesOutsidePeriods"]?.GetValue<bool>() == true)
            {
                return false;
            }
            policy["passesOutsidePeriods"] = true;
            return true;
        }, cancellationToken);

    /// <summary>
    /// Reads the building policy, lets <paramref name="change"/> edit it (returning false when it is already as wanted)
    /// and saves it. Returns false if the API refused.
    /// </summary>
    public async Task<bool> UpdatePolicyAsync(Func<System.Text.Json.Nodes.JsonObject, bool> change, CancellationToken cancellationToken)
    {
        using var current = await _http.GetAsync(new Uri("/api/config/policy", UriKind.Relative), cancellationToken);
        if (!current.IsSuccessStatusCode)
        {
            return false;
        }
        var policy = System.Text.Json.Nodes.JsonNode.Parse(await current.Content.ReadAsStringAsync(cancellationToken))!.AsObject();
        if (!change(policy))
        {
            return true;
        }
        using var content = new StringContent(policy.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var saved = await _http.PutAsync(new Uri("/api/config/policy", UriKind.Relative), content, cancellationToken);
        return saved.IsSuccessStatusCode;
    }

    /// <summary>The Prometheus text at <c>/metrics</c>, or null.</summary>
    public async Task<string?> MetricsAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri("/metrics", UriKind.Relative), cancellationToken);
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync(cancellationToken) : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();

    private sealed record ApproveBody(string RoomId);
}
