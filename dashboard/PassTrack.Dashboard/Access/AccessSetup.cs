using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace PassTrack.Dashboard.Access;

public static class AccessSetup
{
    /// <summary>PBKDF2 (HMAC-SHA512, Identity's v3 format) iterations: above the 210,000 OWASP gives for SHA-512.</summary>
    public const int PasswordIterations = 250_000;

    public const int MaxFailedSignIns = 5;

    public const string SignInPolicy = "signin";

    public const string MustChangeClaim = "pt:must_change_password";

    /// <summary>A building the user's role applies in (one claim each).</summary>
    public const string BuildingClaim = "pt:building";

    /// <summary>A room the user's role applies to, as <c>building/room</c> (one claim each).</summary>
    public const string RoomClaim = "pt:room";

    /// <summary>Staff sign-in on the district store: Identity with lockout, a slow hash, secure cookies, a sign-in rate limit.</summary>
    public static WebApplicationBuilder AddAccess(this WebApplicationBuilder builder)
    {
        var dataPath = builder.Configuration["District:DataPath"] ?? "district.db";
        // The factory for pages and the audit log (a circuit outlives a request); the context stays scoped for Identity.
        builder.Services.AddDbContextFactory<AccessDb>(o => o.UseSqlite(
            $"Data Source={dataPath};Pooling=true;Default Timeout=30",
            sqlite => sqlite.MigrationsHistoryTable(AccessDb.MigrationsTable)));
        builder.Services.AddHostedService<AccessStore>();
        builder.Services.Configure<PasswordHasherOptions>(o =>
        {
            o.CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3;
            o.IterationCount = PasswordIterations;
        });
        builder.Services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        builder.Services.AddIdentityCore<DistrictUser>(o =>
            {
                o.Lockout.MaxFailedAccessAttempts = MaxFailedSignIns;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                // Length over character classes: a long passphrase is stronger and easier to keep than "Pa55word!".
                o.Password.RequiredLength = 12;
                o.Password.RequiredUniqueChars = 5;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireDigit = false;
                o.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AccessDb>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<DistrictClaimsFactory>()
            .AddDefaultTokenProviders();
        // Secure cookies only, except in Development, where the demo serves plain HTTP on loopback.
        var secure = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "passtrack";
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = secure;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.LoginPath = "/signin";
            o.AccessDeniedPath = "/account/denied";
            o.ExpireTimeSpan = TimeSpan.FromHours(10);
            o.SlidingExpiration = true;
        });
        builder.Services.AddAuthorization();
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.SecurePolicy = secure;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            var perMinute = builder.Configuration.GetValue("District:SignInsPerMinute", 10);
            o.AddPolicy(SignInPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        builder.Services.AddScoped<Accounts>();
        builder.Services.AddSingleton<Audit.AuditLog>();
        return builder;
    }

    public static WebApplication UseAccess(this WebApplication app)
    {
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        // A temporary password opens nothing but the page that replaces it.
        app.Use(async (context, next) =>
        {
            if (context.User.HasClaim(c => c.Type == MustChangeClaim)
                && !context.Request.Path.StartsWithSegments("/account", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Redirect("/account/change-password");
                return;
            }
            await next(context);
        });
        app.MapAccountEndpoints();
        return app;
    }

    /// <summary>
    /// Creates a user (<c>add-user NAME ROLE BUILDING [ROOM] [DISPLAY NAME]</c>) and prints the temporary password on
    /// standard output, once: it must be changed at the first sign-in.
    /// </summary>
    public static async Task<int> AddUserAsync(IServiceProvider services, string[] args)
    {
        if (args is not [var userName, var role, var building, ..])
        {
            await Console.Error.WriteLineAsync("add-user NAME ROLE BUILDING [ROOM] [DISPLAY NAME]");
            return 2;
        }
        var room = args.Length > 3 && args[3].Length > 0 ? args[3] : null;
        var display = args.Length > 4 ? args[4] : userName;
        await new AccessStore(services.GetRequiredService<IServiceScopeFactory>()).StartAsync(CancellationToken.None);
        await using var scope = services.CreateAsyncScope();
        try
        {
            var (_, password) = await scope.ServiceProvider.GetRequiredService<Accounts>().CreateAsync(userName, display, role, [(building, room)]);
            await Console.Out.WriteLineAsync(password);
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"add-user: {e.Message}");
            return 2;
        }
    }

    /// <summary>CSP, no framing, no sniffing, no referrer: on every response.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var headers = context.Response.Headers;
        // Radzen's components set inline styles; scripts stay same-origin only.
        headers.ContentSecurityPolicy = "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        await next(context);
    });
}

/// <summary>Adds the forced-change marker to the sign-in cookie of a user on a temporary password.</summary>
internal sealed class DistrictClaimsFactory(UserManager<DistrictUser> users, RoleManager<IdentityRole> roles, AccessDb db, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<DistrictUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(DistrictUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim("name", user.DisplayName));
        // Where the role applies, in the cookie: pages check it on every render without asking the store.
        foreach (var scope in await db.Scopes.AsNoTracking().Where(s => s.UserId == user.Id).ToListAsync())
        {
            identity.AddClaim(new Claim(AccessSetup.BuildingClaim, scope.BuildingId));
            if (scope.RoomId is { } room)
            {
                identity.AddClaim(new Claim(AccessSetup.RoomClaim, scope.BuildingId + "/" + room));
            }
        }
        if (user.MustChangePassword)
        {
            identity.AddClaim(new Claim(AccessSetup.MustChangeClaim, "true"));
        }
        return identity;
    }
}

/// <summary>Brings the users' schema up to date on start, and makes sure every role exists.</summary>
internal sealed class AccessStore(IServiceScopeFactory scopes) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AccessDb>().Database.MigrateAsync(cancellationToken);
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
