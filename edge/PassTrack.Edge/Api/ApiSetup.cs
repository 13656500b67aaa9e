namespace PassTrack.Edge.Api;

public static class ApiSetup
{
    /// <summary>The staff-facing HTTP API: authentication by API key, OpenAPI, endpoint groups, live feed.</summary>
    public static WebApplicationBuilder AddEdgeApi(this WebApplicationBuilder builder) => builder;

    public static WebApplication MapEdgeApi(this WebApplication app) => app;
}
