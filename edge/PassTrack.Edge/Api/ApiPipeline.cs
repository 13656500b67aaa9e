using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using PassTrack.Edge.Passes;
using PassTrack.Edge.Security;

namespace PassTrack.Edge.Api;

/// <summary>What stands between the network and the endpoints: size limits, exceptions as problem details, OpenAPI security.</summary>
public static class ApiPipeline
{
    /// <summary>No API body is legitimately larger (a student with many credentials is a few kilobytes).</summary>
    public const long MaxBodyBytes = 64 * 1024;

    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
                // An endpoint with a limit of its own (an update bundle) checks it itself.
                && context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>() is null)
            {
                if (context.Request.ContentLength > MaxBodyBytes)
                {
                    context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                    await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
                    {
                        HttpContext = context,
                        ProblemDetails = { Status = StatusCodes.Status413PayloadTooLarge, Title = "Body too large", Detail = $"Request bodies are limited to {MaxBodyBytes} bytes." },
                    });
                    return;
                }
                // A body without a declared length is cut off by the server at the same size.
                if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                {
                    limit.MaxRequestBodySize = MaxBodyBytes;
                }
            }
            await next(context);
        });

    /// <summary>Documents the API-key scheme and marks every endpoint that needs a key.</summary>
    public static OpenApiOptions AddApiKeySecurity(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, context, cancellationToken) =>
        {
            document.Info.Title = "PassTrack edge API";
            document.Info.Description = $"The building's staff API. Send a key as '{ApiKeyDefaults.Header}: <key>' or 'Authorization: {ApiKeyDefaults.Scheme} <key>'. "
                + $"Optional '{ApiKeyDefaults.ActingUserHeader}' names the person acting through a shared key.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiKeyDefaults.Scheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyDefaults.Header,
                Description = "A PassTrack API key (pt_<prefix>_<secret>). Scopes: " + string.Join(", ", Scopes.All) + ".",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, cancellationToken) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Any())
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyDefaults.Scheme, context.Document)] = [] }];
            }
            return Task.CompletedTask;
        });
        return options;
    }
}

/// <summary>
/// Turns what escapes an endpoint into problem details: a store that cannot commit is 503 (nothing changed, retry),
/// a request the server could not read is its own 4xx. Anything else stays a logged 500.
/// </summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            StoreUnavailableException => (StatusCodes.Status503ServiceUnavailable, "Store unavailable", "The building's store could not commit; nothing was changed. Try again."),
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", bad.InnerException is System.Text.Json.JsonException json ? $"{bad.Message} {json.Message}" : bad.Message),
            _ => (0, "", ""),
        };
        if (status == 0)
        {
            return false;
        }
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
