namespace PassTrack.Edge.Federation;

public static class FederationSetup
{
    /// <summary>The link to the district (off until <c>Edge:District:Host</c> and <c>Secret</c> are set).</summary>
    public static WebApplicationBuilder AddDistrictLink(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<DistrictOptions>(builder.Configuration.GetSection(DistrictOptions.Section));
        builder.Services.AddSingleton<DistrictCommandRunner>();
        builder.Services.AddSingleton<DistrictLink>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DistrictLink>());
        return builder;
    }

    /// <summary>First in the pipeline, so that district commands run through all of it.</summary>
    public static WebApplication UseDistrictCommands(this WebApplication app)
    {
        app.Use(app.Services.GetRequiredService<DistrictCommandRunner>().Capture);
        // Routing after the capture: a command's request must be matched to its endpoint like any other.
        app.UseRouting();
        return app;
    }
}
