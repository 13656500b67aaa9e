using System.Reflection;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PassTrack.Contracts.Protocol;
using PassTrack.Contracts.Updates;

namespace PassTrack.Kiosk.Updates;

/// <summary>What the update agent needs from the rest of the kiosk.</summary>
public sealed record UpdateAgentHooks(
    Func<UpdateReport, CancellationToken, Task<bool>> Report,
    Func<bool> Linked,
    Func<bool> Healthy,
    Func<bool> Idle,
    Action<string> Restart);

/// <summary>
/// The kiosk's side of an update. An offer from the edge is checked against the district's key before anything is
/// fetched; the bundle is downloaded (with the offer's one-kiosk token) into the store, which refuses it unless it is
/// exactly what the manifest says; then the kiosk switches and restarts into the new version between students. A
/// version on trial confirms itself once it is linked to its edge with its loops alive, and gives up (switching back)
/// at its deadline. Every outcome is kept on disk until the edge has it. The kiosk serves students throughout: all of
/// this runs beside the flow, and a refusal changes nothing.
/// </summary>
public sealed partial class UpdateAgent : IDisposable
{
    public const int DownloadAttempts = 3;

    private readonly UpdateStore _store;
    private readonly string _running;
    private readonly Uri _edge;
    private readonly TimeSpan _trial;
    private readonly UpdateAgentHooks _hooks;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly Channel<UpdateOffer> _offers = Channel.CreateBounded<UpdateOffer>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private string? _restart;
    private long _restartWantedAt;
    private long? _healthySince;

    public UpdateAgent(UpdateStore store, string running, Uri edge, TimeSpan trial, UpdateAgentHooks hooks, TimeProvider time, ILogger logger, HttpMessageHandler? handler = null)
    {
        _store = store;
        _running = running;
        _edge = edge;
        _trial = trial;
        _hooks = hooks;
        _time = time;
        _logger = logger;
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        // A bundle is tens of megabytes on a school LAN; a stalled transfer must not hold the next offer forever.
        _http.Timeout = TimeSpan.FromMinutes(10);
    }

    /// <summary>How often the agent looks at the trial, the deadline and unsent outcomes.</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a restart waits for the kiosk to be between students before it goes ahead anyway.</summary>
    public TimeSpan MaxWaitForIdle { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a version on trial must stay linked and healthy, without a break, before it is kept.</summary>
    public TimeSpan HealthyFor { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Between download attempts.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Hands an offer to the agent; one at a time (a second one while the first is being installed is dropped: the edge offers again).</summary>
    public void Offer(UpdateOffer offer)
    {
        if (!_offers.Writer.TryWrite(offer))
        {
            Busy(_logger, offer.Version);
        }
    }

    public async Task RunAsync(CancellationToken stop)
    {
        if (_store.Pending is { } pending && pending.Version == _running)
        {
            OnTrial(_logger, _running, DateTimeOffset.FromUnixTimeMilliseconds(pending.DeadlineUnixMs));
        }
        try
        {
            await Task.WhenAll(InstallLoopAsync(stop), CheckLoopAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task InstallLoopAsync(CancellationToken stop)
    {
        await foreach (var offer in _offers.Reader.ReadAllAsync(stop))
        {
            await InstallAsync(offer, stop);
        }
    }

    private async Task CheckLoopAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(CheckInterval, _time);
        do
        {
            await CheckAsync(stop);
        }
        while (await timer.WaitForNextTickAsync(stop));
    }

    /// <summary>One look: confirm a healthy trial, give up an overdue one, tell the edge, restart when it is time.</summary>
    internal async Task CheckAsync(CancellationToken stop)
    {
        var onTrial = _store.Pending is { } pending && pending.Version == _running;
        // Healthy for a while, not for a moment: a version that links and then falls over is not kept.
        _healthySince = onTrial && _hooks.Linked() && _hooks.Healthy() ? _healthySince ?? _time.GetTimestamp() : null;
        if (_healthySince is { } since && _time.GetElapsedTime(since) >= HealthyFor)
        {
            _store.ConfirmHealthy(_running);
            _healthySince = null;
            Confirmed(_logger, _running);
        }
        else if (_store.RollBackIfOverdue())
        {
            GaveUp(_logger, _running, _store.CurrentVersion ?? "the flashed version");
            if (_store.CurrentVersion != _running)
            {
                WantRestart("rolling back");
            }
        }
        if (_store.Outcome is { } outcome && _hooks.Linked())
        {
            var report = new UpdateReport(Protocol.Version, outcome.Version, outcome.Stage, DateTimeOffset.FromUnixTimeMilliseconds(outcome.AtUnixMs)) { Detail = outcome.Detail };
            if (await _hooks.Report(report, stop))
            {
                _store.Reported(outcome);
            }
        }
        if (_restart is { } why && (_hooks.Idle() || _time.GetElapsedTime(_restartWantedAt) > MaxWaitForIdle))
        {
            _restart = null;
            Restarting(_logger, why);
            _hooks.Restart(why);
        }
    }

    private async Task InstallAsync(UpdateOffer offer, CancellationToken stop)
    {
        if (offer.Version == _running)
        {
            // Offered what it already runs (a rollout to everyone, a kiosk updated by hand): say so, unless on trial.
            if (_store.Pending is null)
            {
                _store.Record(_running, UpdateStage.Healthy, "already running this version");
            }
            return;
        }
        if (_store.Pending is not null || _restart is not null)
        {
            Busy(_logger, offer.Version);
            return;
        }
        try
        {
            var manifest = _store.Verify(Base64(offer.Manifest), Base64(offer.Signature));
            if (manifest.Version != offer.Version)
            {
                throw new UpdateRefusedException(UpdateRefusal.BadManifest, $"the offer says {offer.Version} but its manifest says {manifest.Version}");
            }
            var source = new Uri(_edge, offer.Path);
            // Only from this kiosk's own edge: a path like "//elsewhere/x" would leave it.
            if (Uri.Compare(source, _edge, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
            {
                throw new UpdateRefusedException(UpdateRefusal.BadManifest, "the offer points away from this kiosk's edge");
            }
            Downloading(_logger, manifest.Version, manifest.Size);
            await DownloadAsync(source, offer.Token, manifest, stop);
            _store.Switch(manifest.Version, _trial);
            _store.Record(manifest.Version, UpdateStage.Installed, $"was {_running}");
            Installed(_logger, manifest.Version, _running);
            WantRestart($"switching to {manifest.Version}");
        }
        catch (Exception ex) when (ex is UpdateRefusedException or HttpRequestException or IOException or FormatException or TaskCanceledException && !stop.IsCancellationRequested)
        {
            var why = ex is UpdateRefusedException ? ex.Message : $"the download failed: {ex.Message}";
            _store.Record(offer.Version, UpdateStage.Refused, why);
            Refused(_logger, offer.Version, why);
        }
    }

    /// <summary>A cut connection or a short read is tried again; an altered bundle is not.</summary>
    private async Task DownloadAsync(Uri source, string token, UpdateManifest manifest, CancellationToken stop)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, source);
                request.Headers.Add(Protocol.UpdateTokenHeader, token);
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
                response.EnsureSuccessStatusCode();
                await using var body = await response.Content.ReadAsStreamAsync(stop);
                await _store.StageAsync(body, manifest, stop);
                return;
            }
            catch (Exception ex) when (attempt < DownloadAttempts
                && (ex is IOException or UpdateRefusedException { Reason: UpdateRefusal.Truncated } || ex is HttpRequestException { StatusCode: null }))
            {
                RetryingDownload(_logger, manifest.Version, attempt, ex.Message);
                await Task.Delay(RetryDelay, _time, stop);
            }
        }
    }

    private void WantRestart(string why)
    {
        _restart ??= why;
        _restartWantedAt = _time.GetTimestamp();
    }

    private static byte[] Base64(string text) => Convert.FromBase64String(text);

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// The version this kiosk runs: the folder an update installed it into (<c>versions/&lt;version&gt;/</c>, named by its
    /// signed manifest), or the build's own version for the flashed install and development runs.
    /// </summary>
    public static string RunningVersion(string baseDirectory, Assembly assembly)
    {
        var folder = Path.TrimEndingDirectorySeparator(baseDirectory);
        if (Path.GetFileName(Path.GetDirectoryName(folder)) == "versions" && UpdateSignature.IsSafeVersion(Path.GetFileName(folder)))
        {
            return Path.GetFileName(folder);
        }
        return assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
    }

    [LoggerMessage(60, LogLevel.Information, "Version {Version} is on trial until {Deadline:u}: it stays once it is linked to the edge and healthy")]
    private static partial void OnTrial(ILogger logger, string version, DateTimeOffset deadline);

    [LoggerMessage(61, LogLevel.Information, "Version {Version} is healthy: the update is kept")]
    private static partial void Confirmed(ILogger logger, string version);

    [LoggerMessage(62, LogLevel.Warning, "Version {Version} did not report healthy in time: switched back to {Previous}")]
    private static partial void GaveUp(ILogger logger, string version, string previous);

    [LoggerMessage(63, LogLevel.Information, "Downloading update {Version} ({Size} bytes)")]
    private static partial void Downloading(ILogger logger, string version, long size);

    [LoggerMessage(64, LogLevel.Information, "Update {Version} installed beside {Running} and switched to")]
    private static partial void Installed(ILogger logger, string version, string running);

    [LoggerMessage(65, LogLevel.Warning, "Update {Version} refused: {Reason}")]
    private static partial void Refused(ILogger logger, string version, string reason);

    [LoggerMessage(66, LogLevel.Warning, "Download of update {Version} failed (attempt {Attempt}): {Reason}; trying again")]
    private static partial void RetryingDownload(ILogger logger, string version, int attempt, string reason);

    [LoggerMessage(67, LogLevel.Information, "Restarting: {Why}")]
    private static partial void Restarting(ILogger logger, string why);

    [LoggerMessage(68, LogLevel.Information, "Update {Version} offered while another is in progress: ignored (the edge offers it again)")]
    private static partial void Busy(ILogger logger, string version);
}
