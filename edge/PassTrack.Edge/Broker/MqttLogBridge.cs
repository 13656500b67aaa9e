using System.Globalization;
using MQTTnet.Diagnostics.Logger;

namespace PassTrack.Edge.Broker;

/// <summary>MQTTnet's own warnings and errors, in the edge's structured log. Its verbose chatter stays out.</summary>
internal sealed partial class MqttLogBridge(ILogger logger) : IMqttNetLogger
{
    public bool IsEnabled => logger.IsEnabled(LogLevel.Warning);

    public void Publish(MqttNetLogLevel logLevel, string source, string message, object[] parameters, Exception exception)
    {
        if (logLevel < MqttNetLogLevel.Warning || !IsEnabled)
        {
            return;
        }
        var text = parameters is { Length: > 0 } ? string.Format(CultureInfo.InvariantCulture, message, parameters) : message;
        if (logLevel == MqttNetLogLevel.Error)
        {
            Error(logger, exception, source, text);
        }
        else
        {
            Warning(logger, exception, source, text);
        }
    }

    [LoggerMessage(210, LogLevel.Warning, "MQTTnet {Source}: {Message}")]
    private static partial void Warning(ILogger logger, Exception? exception, string source, string message);

    [LoggerMessage(211, LogLevel.Error, "MQTTnet {Source}: {Message}")]
    private static partial void Error(ILogger logger, Exception? exception, string source, string message);
}
