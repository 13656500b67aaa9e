using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;
using PassTrack.Contracts.District;

namespace PassTrack.Dashboard.Federation;

/// <summary>How a command to an edge ended, as the user is told.</summary>
public enum CommandState
{
    /// <summary>The edge answered; <see cref="CommandOutcome.Status"/> says what its API made of it.</summary>
    Answered,
    /// <summary>The edge is offline: the command was not sent.</summary>
    Unreachable,
    /// <summary>Sent, but no answer in time: it expires at the broker and is not carried out later.</summary>
    NoAnswer,
}

public sealed record CommandOutcome(CommandState State, int? Status, JsonElement? Body, string Message)
{
    public bool Succeeded => State == CommandState.Answered && Status is >= 200 and < 300;

    /// <summary>
    /// What to tell the user: <paramref name="done"/> when it worked; otherwise why not, in the edge's words when it
    /// gave some (a field's validation errors, a refusal's explanation, a problem's detail), or that it is offline.
    /// </summary>
    public string Describe(string done)
    {
        if (Succeeded)
        {
            return done;
        }
        if (State != CommandState.Answered)
        {
            return Message;
        }
        if (Body is { ValueKind: JsonValueKind.Object } body)
        {
            if (body.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                return "Not saved: " + string.Join("; ", errors.EnumerateObject().Select(e =>
                    $"{e.Name} {string.Join(" ", e.Value.ValueKind == JsonValueKind.Array ? e.Value.EnumerateArray().Select(v => v.ToString()) : [e.Value.ToString()])}"));
            }
            foreach (var name in new[] { "staffExplanation", "detail", "title" })
            {
                if (body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
                {
                    return text;
                }
            }
        }
        return $"The building's server refused ({Status}).";
    }
}

/// <summary>
/// Staff actions from the dashboard, sent to the owning edge as MQTT 5 requests and awaited: the user is told the
/// edge's answer, or that the edge is offline, or that it did not answer. A command carries an expiry as long as the
/// wait, so a building that comes back later never carries out an action nobody is waiting for.
/// </summary>
public sealed partial class EdgeCommands(IOptions<DistrictOptions> options, ILogger<EdgeCommands> logger)
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<CommandResult>> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _online = new(StringComparer.Ordinal);

    internal Func<IMqttClient?>? Client { get; set; }

    public bool IsOnline(string buildingId) => _online.TryGetValue(buildingId, out var online) && online;

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _onlineWaiters = new(StringComparer.Ordinal);

    internal void SetOnline(string buildingId, bool online)
    {
        _online[buildingId] = online;
        if (online && _onlineWaiters.TryRemove(buildingId, out var waiting))
        {
            waiting.TrySetResult();
        }
    }

    /// <summary>Completes when the building's edge is (or comes) online.</summary>
    public Task WaitOnlineAsync(string buildingId, CancellationToken cancellationToken = default)
    {
        var waiting = _onlineWaiters.GetOrAdd(buildingId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (IsOnline(buildingId))
        {
            waiting.TrySetResult();
        }
        return waiting.Task.WaitAsync(cancellationToken);
    }

    internal void Complete(string buildingId, CommandResult result)
    {
        if (_pending.TryRemove(Key(buildingId, result.CommandId), out var waiting))
        {
            waiting.TrySetResult(result);
        }
    }

    public async Task<CommandOutcome> SendAsync(string buildingId, CommandActor actor, string method, string path, object? body, CancellationToken cancellationToken = default)
    {
        if (!IsOnline(buildingId) || Client?.Invoke() is not { IsConnected: true } client)
        {
            LogUnreachable(buildingId, method, path, actor.UserId);
            return new CommandOutcome(CommandState.Unreachable, null, null, $"The building's server ({buildingId}) is offline; nothing was changed. Try again when it is back.");
        }
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var waiting = new TaskCompletionSource<CommandResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[Key(buildingId, id)] = waiting;
        var timeout = options.Value.CommandTimeout;
        try
        {
            JsonElement? payloadBody = body is null ? null : JsonSerializer.SerializeToElement(body, body.GetType(), JsonSerializerOptions.Web);
            var command = new DistrictCommand(DistrictJson.Version, id, actor, method, path, payloadBody);
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(DistrictTopics.For(buildingId, DistrictTopic.Commands))
                .WithPayload(JsonSerializer.SerializeToUtf8Bytes(command, DistrictJson.Default.DistrictCommand))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithResponseTopic(DistrictTopics.For(buildingId, DistrictTopic.Results))
                .WithCorrelationData(Encoding.UTF8.GetBytes(id))
                .WithMessageExpiryInterval((uint)Math.Ceiling(timeout.TotalSeconds))
                .Build();
            await client.PublishAsync(message, cancellationToken);
            var result = await waiting.Task.WaitAsync(timeout, cancellationToken);
            LogAnswered(buildingId, method, path, actor.UserId, result.Status);
            return new CommandOutcome(CommandState.Answered, result.Status, result.Body, result.Status is >= 200 and < 300 ? "Done." : "The building's server refused it.");
        }
        catch (TimeoutException)
        {
            LogNoAnswer(buildingId, method, path, actor.UserId);
            return new CommandOutcome(CommandState.NoAnswer, null, null, $"The building's server ({buildingId}) did not answer in {timeout.TotalSeconds:0} s; the action was not confirmed and will not be carried out later.");
        }
        finally
        {
            _pending.TryRemove(Key(buildingId, id), out _);
        }
    }

    private static string Key(string buildingId, string commandId) => buildingId + "/" + commandId;

    [LoggerMessage(1, LogLevel.Warning, "Command {Method} {Path} for {UserId} not sent: building {BuildingId} is offline")]
    private partial void LogUnreachable(string buildingId, string method, string path, string userId);

    [LoggerMessage(2, LogLevel.Information, "Command {Method} {Path} for {UserId} answered by building {BuildingId}: {Status}")]
    private partial void LogAnswered(string buildingId, string method, string path, string userId, int status);

    [LoggerMessage(3, LogLevel.Warning, "Command {Method} {Path} for {UserId}: building {BuildingId} did not answer in time")]
    private partial void LogNoAnswer(string buildingId, string method, string path, string userId);
}
