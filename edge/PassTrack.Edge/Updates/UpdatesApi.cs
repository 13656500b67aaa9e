using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using PassTrack.Contracts.Updates;
using PassTrack.Edge.Api;
using PassTrack.Edge.Security;

namespace PassTrack.Edge.Updates;

/// <summary>A signed manifest as uploaded: the manifest's exact bytes and its signature, both base64.</summary>
public sealed record ManifestUpload(string Manifest, string Signature);

/// <summary>What the edge holds and where each kiosk stands.</summary>
public sealed record UpdatesView(IReadOnlyList<BundleView> Bundles, IReadOnlyList<KioskUpdateView> Kiosks);

/// <summary>This endpoint's own body limit, instead of the API's 64 KB (<see cref="ApiPipeline.UseRequestLimits"/>).</summary>
public sealed record BodyLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;

/// <summary>
/// Kiosk updates: district IT uploads a signed bundle (its manifest, then the bundle), rolls it out to a chosen group
/// of kiosks, watches them report, then rolls it out to everyone. Kiosks fetch bundles from <c>/kiosk-updates</c> with
/// the token their offer carried: no API key, no kiosk secret over HTTP.
/// </summary>
public static class UpdatesApi
{
    public static RouteGroupBuilder MapUpdates(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/updates").WithTags("Updates").RequireScope(Scopes.Kiosks);

        group.MapGet("/", async (UpdateBundles bundles, UpdateRollouts rollouts, CancellationToken ct) =>
            TypedResults.Ok(new UpdatesView(bundles.List(), await rollouts.ListAsync(ct))))
            .WithSummary("The bundles held here, and each kiosk's version and update state");

        group.MapPut("/{version}/manifest", SaveManifestAsync)
            .Audited("updates.manifest").WithSummary("Upload a version's signed manifest (checked against the district's key)");

        group.MapPut("/{version}/bundle", SaveBundleAsync)
            .Accepts<Stream>("application/octet-stream")
            .WithMetadata(new BodyLimit(routes.ServiceProvider.GetRequiredService<UpdateBundles>().MaxBundleBytes))
            .Audited("updates.bundle").WithSummary("Upload a version's bundle (a tar.gz): kept only if it is exactly what its manifest says");

        group.MapDelete("/{version}", DeleteAsync)
            .Audited("updates.delete").WithSummary("Remove a version from this edge (not while kiosks are still waiting to fetch it); kiosks keep what they installed");

        group.MapPost("/{version}/rollout", RolloutAsync)
            .Audited("updates.rollout").WithSummary("Offer a version to a chosen group of kiosks, or to every other kiosk once one has run it healthily");

        group.ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return group;
    }

    /// <summary>Outside <c>/api</c>: kiosks have no API key. The token in <see cref="UpdateRollouts.TokenHeader"/> is the key.</summary>
    public static IEndpointConventionBuilder MapKioskDownloads(this IEndpointRouteBuilder routes) =>
        routes.MapGet(UpdateRollouts.DownloadPath + "/{version}/bundle", async Task<Results<PhysicalFileHttpResult, NotFound>> (string version, HttpRequest request, UpdateRollouts rollouts, CancellationToken ct) =>
        {
            var held = await rollouts.AuthorizeDownloadAsync(version, request.Headers[UpdateRollouts.TokenHeader].ToString(), ct);
            // Not found either way: an unknown token learns nothing about which versions exist.
            return held is null ? TypedResults.NotFound() : TypedResults.PhysicalFile(held.BundlePath, "application/gzip", enableRangeProcessing: true);
        }).AllowAnonymous().ExcludeFromDescription();

    private static async Task<Results<Ok<BundleView>, ValidationProblem, ProblemHttpResult>> SaveManifestAsync(string version, ManifestUpload body, UpdateBundles bundles, CancellationToken ct)
    {
        if (!UpdateSignature.IsSafeVersion(version))
        {
            return Problems.Invalid("version", "A version is 1 to 64 letters, digits, '.', '-' or '+', not starting with '.'.");
        }
        if (Base64(body.Manifest) is not { } manifest || Base64(body.Signature) is not { } signature)
        {
            return Problems.Invalid("manifest", "The manifest and the signature must both be base64.");
        }
        try
        {
            return TypedResults.Ok(await bundles.SaveManifestAsync(version, manifest, signature, ct));
        }
        catch (UpdateRefusedException ex)
        {
            return Refused(ex);
        }
    }

    private static async Task<Results<Ok<BundleView>, ValidationProblem, ProblemHttpResult>> SaveBundleAsync(string version, HttpRequest request, UpdateBundles bundles, CancellationToken ct)
    {
        if (!UpdateSignature.IsSafeVersion(version))
        {
            return Problems.Invalid("version", "A version is 1 to 64 letters, digits, '.', '-' or '+', not starting with '.'.");
        }
        if (request.ContentLength > bundles.MaxBundleBytes)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Bundle too large", detail: $"Bundles are limited to {bundles.MaxBundleBytes} bytes.");
        }
        try
        {
            return await bundles.SaveBundleAsync(version, request.Body, ct) is { } saved
                ? TypedResults.Ok(saved)
                : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "No manifest", detail: $"Upload version {version}'s signed manifest first: the bundle is checked against it.");
        }
        catch (UpdateRefusedException ex)
        {
            return Refused(ex);
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string version, UpdateBundles bundles, UpdateRollouts rollouts, CancellationToken ct)
    {
        if (await rollouts.AwaitingAsync(version, ct) is { Count: > 0 } waiting)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Still rolling out",
                detail: $"Kiosks still waiting to fetch {version}: {string.Join(", ", waiting)}. Wait for their reports, or roll another version out to them.");
        }
        return await bundles.DeleteAsync(version, ct) ? TypedResults.NoContent() : Problems.NotFound("uploaded update", version);
    }

    private static async Task<Results<Ok<Rollout>, ProblemHttpResult>> RolloutAsync(string version, RolloutRequest body, UpdateRollouts rollouts, Caller caller, CancellationToken ct)
    {
        var rollout = await rollouts.StartAsync(version, body, caller.Actor, ct);
        return rollout.Result switch
        {
            RolloutResult.Done => TypedResults.Ok(rollout),
            RolloutResult.UnknownVersion => Problems.NotFound("uploaded update", version),
            RolloutResult.UnknownKiosks => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown kiosks", detail: $"Not approved kiosks of this building: {string.Join(", ", rollout.Kiosks)}."),
            RolloutResult.PilotFirst => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Pilot first", detail: $"No kiosk has run {version} healthily yet: roll it out to a chosen group first."),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "No kiosks", detail: "Name at least one kiosk; every approved kiosk may already run this version."),
        };
    }

    private static ProblemHttpResult Refused(UpdateRefusedException ex) =>
        TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Update refused", detail: $"Refused: {ex.Message}.", extensions: new Dictionary<string, object?> { ["reason"] = ex.Reason.ToString() });

    private static byte[]? Base64(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var bytes = new byte[text.Length];
        return Convert.TryFromBase64String(text, bytes, out var n) ? bytes[..n] : null;
    }
}
