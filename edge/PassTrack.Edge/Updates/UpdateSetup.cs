namespace PassTrack.Edge.Updates;

public static class UpdateSetup
{
    public static IServiceCollection AddKioskUpdates(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<UpdateOptions>().Bind(configuration.GetSection(UpdateOptions.Section));
        services.AddSingleton<UpdateBundles>();
        services.AddSingleton<UpdateRollouts>();
        return services;
    }
}
