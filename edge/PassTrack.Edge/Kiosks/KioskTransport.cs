using System.Buffers;
using PassTrack.Contracts.Protocol;

namespace PassTrack.Edge.Kiosks;

/// <summary>
/// A message a kiosk published, as the broker saw it. <see cref="Sender"/> is the authenticated kiosk (the embedded
/// broker's client id) or, behind an external broker that enforces its own access lists, the kiosk the topic names.
/// </summary>
public sealed record KioskInbound(
    string Sender,
    string Topic,
    ReadOnlySequence<byte> Payload,
    string? ResponseTopic,
    byte[]? CorrelationData,
    long ArrivedTimestamp);

/// <summary>A message for one kiosk: a reply on its reply topic or a command on its command topic, always QoS 1.</summary>
public sealed record KioskOutbound(string Topic, byte[] Payload, bool Retain = false, byte[]? CorrelationData = null);

/// <summary>
/// The broker side the kiosk protocol talks through: the embedded MQTTnet broker, or a client connection to an external
/// broker. Both run the same <see cref="KioskProtocol"/> and <see cref="KioskCommander"/>.
/// </summary>
public interface IKioskTransport
{
    /// <summary>Completes once messages can be published (the broker listens, or the client is connected).</summary>
    Task Ready { get; }

    /// <summary>
    /// Whether the transport sees kiosk connections itself (the embedded broker): then connect and disconnect say who is
    /// online and a status message only carries the firmware. Behind an external broker the retained status and its
    /// Last Will are all the edge learns.
    /// </summary>
    bool SeesConnections { get; }

    Task PublishAsync(KioskOutbound message, CancellationToken cancellationToken);

    /// <summary>Closes a kiosk's connection (a revoked kiosk). An external broker's own access lists do this there.</summary>
    Task DisconnectAsync(string kioskId, CancellationToken cancellationToken);
}

/// <summary>Where a kiosk's messages go, from its id.</summary>
internal static class KioskTopics
{
    public static KioskOutbound Reply(string kioskId, byte[] payload, byte[]? correlation) =>
        new(Topics.Reply(kioskId), payload, false, correlation);

    public static KioskOutbound Command(string kioskId, byte[] payload, bool retain) =>
        new(Topics.Command(kioskId), payload, retain);
}
