using Microsoft.AspNetCore.Authorization;
using PassTrack.Edge.Passes;

namespace PassTrack.Edge.Security;

public static class SecuritySetup
{
    /// <summary>The setting (under "Edge") holding the bootstrap key's prefix and hash.</summary>
    public const string BootstrapSetting = "BootstrapApiKeyHash";

    /// <summary>API-key authentication, one authorization policy per scope, and the bootstrap key.</summary>
    public static WebApplicationBuilder AddApiKeys(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddAuthentication(ApiKeyDefaults.Scheme)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.Scheme, null);
        var authorization = builder.Services.AddAuthorizationBuilder();
        foreach (var scope in Scopes.All)
        {
            authorization.AddPolicy(scope, p => p.RequireAuthenticatedUser().RequireClaim(ApiKeyDefaults.ScopeClaim, scope));
        }
        builder.Services.AddHostedService<BootstrapKey>();
        return builder;
    }

    /// <summary>Requires a key carrying at least one of <paramref name="anyOf"/>.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, params string[] anyOf) where TBuilder : IEndpointConventionBuilder =>
        anyOf.Length == 1
            ? builder.RequireAuthorization(anyOf[0])
            : builder.RequireAuthorization(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireClaim(ApiKeyDefaults.ScopeClaim, anyOf).Build());
}

/// <summary>On a store without keys, installs the key the installer configured, so the first dashboard can connect.</summary>
internal sealed class BootstrapKey(ApiKeyStore keys, BuildingWriter writer, IConfiguration configuration, ILogger<BootstrapKey> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var setting = configuration[$"{EdgeOptions.Section}:{SecuritySetup.BootstrapSetting}"];
        if (string.IsNullOrWhiteSpace(setting))
        {
            return;
        }
        // The writer applies the store's migrations: the key table exists once it is ready.
        await writer.Ready.WaitAsync(cancellationToken);
        if (await keys.EnsureBootstrapAsync(setting, cancellationToken))
        {
            SecurityLog.BootstrapInstalled(logger);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
