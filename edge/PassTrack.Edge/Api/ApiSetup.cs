using System.Text.Json.Serialization;
using PassTrack.Edge.Configuration;
using PassTrack.Edge.Emergencies;
using PassTrack.Edge.Events;
using PassTrack.Edge.Kiosks;
using PassTrack.Edge.Passes;
using PassTrack.Edge.Scheduling;
using PassTrack.Edge.Security;
using PassTrack.Edge.Staff;
using PassTrack.Edge.Students;
using PassTrack.Edge.Summons;
using PassTrack.Edge.Updates;
using Scalar.AspNetCore;

namespace PassTrack.Edge.Api;

public static class ApiSetup
{
    /// <summary>The staff-facing HTTP API: authentication by API key, OpenAPI, endpoint groups, live feed.</summary>
    public static WebApplicationBuilder AddEdgeApi(this WebApplicationBuilder builder)
    {
        builder.AddApiKeys();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        // Bad JSON and unbindable parameters throw, so ApiExceptionHandler can say what was wrong (400, in every environment).
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.RespectNullableAnnotations = true;
            o.SerializerOptions.RespectRequiredConstructorParameters = true;
            o.SerializerOptions.MaxDepth = 16;
        });
        builder.Services.AddOpenApi(o => o.AddApiKeySecurity());
        return builder;
    }

    /// <summary>Runs a key-management command (<c>create-api-key</c>, <c>revoke-api-key</c>) instead of the server; true if it did.</summary>
    public static Task<bool> RunEdgeCommandAsync(this WebApplication app, string[] args) => app.RunApiKeyCommandAsync(args);

    public static WebApplication MapEdgeApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestLimits();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference();
        }

        var api = app.MapGroup("/api").RequireAuthorization();
        api.MapPasses();
        api.MapPassHistory();
        api.MapScheduledPasses();
        api.MapEmergency();
        api.MapSummons();
        api.MapPlaces();
        api.MapSchoolDays();
        api.MapEncounters();
        api.MapStudents();
        api.MapStaff();
        api.MapKiosks();
        api.MapUpdates();
        api.MapEvents();
        api.MapLiveEvents();
        app.MapKioskDownloads();
        return app;
    }
}
