using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Server;

namespace PassTrack.Edge.Broker;

/// <summary>
/// The broker's TCP (and TLS) listeners. MQTTnet's own listener is replaced so every connection's bytes pass the
/// <see cref="PacketSizeGuard"/> before MQTTnet reads a packet, and so a TLS handshake that never finishes is dropped.
/// </summary>
internal sealed partial class KioskListener(
    IPEndPoint plain,
    IPEndPoint? secure,
    X509Certificate2? certificate,
    int packetLimit,
    Action<EndPoint?, long> tooLarge,
    ILogger logger) : IMqttServerAdapter
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stopping = new();
    private readonly List<TcpListener> _listeners = [];
    private MqttServerOptions _options = null!;
    private IMqttNetLogger _mqttLogger = null!;

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    /// <summary>The plain listener's port (useful when configured as 0).</summary>
    public int Port { get; private set; }

    public Task StartAsync(MqttServerOptions options, IMqttNetLogger logger)
    {
        _options = options;
        _mqttLogger = logger;
        Port = Listen(plain, tls: false);
        if (secure is not null && certificate is not null)
        {
            Listen(secure, tls: true);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync()
    {
        lock (_listeners)
        {
            if (!_stopping.IsCancellationRequested)
            {
                _stopping.Cancel();
            }
            foreach (var listener in _listeners)
            {
                listener.Stop();
            }
            _listeners.Clear();
        }
        return Task.CompletedTask;
    }

    // MQTTnet disposes its adapters with the server, and the broker disposes it too: once is enough. The token source
    // is left to the collector, since accept loops may still be looking at it.
    public void Dispose() => StopAsync();

    private int Listen(IPEndPoint endpoint, bool tls)
    {
        var listener = new TcpListener(endpoint);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start(backlog: 1024);
        _listeners.Add(listener);
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Listening(logger, endpoint.Address.ToString(), port, tls);
        _ = AcceptAsync(listener, tls);
        return port;
    }

    private async Task AcceptAsync(TcpListener listener, bool tls)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }
                AcceptFailed(logger, ex);
                continue;
            }
            _ = Task.Run(() => ServeAsync(socket, tls));
        }
    }

    private async Task ServeAsync(Socket socket, bool tls)
    {
        var remote = socket.RemoteEndPoint;
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            socket.NoDelay = true;
            if (tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                using var handshake = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                handshake.CancelAfter(HandshakeTimeout);
                await ssl.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions
                    {
                        ServerCertificate = certificate,
                        ClientCertificateRequired = false,
                        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                        EncryptionPolicy = EncryptionPolicy.RequireEncryption,
                    },
                    handshake.Token);
            }
            var guarded = new PacketSizeGuard(stream, packetLimit, size => tooLarge(remote, size));
            stream = guarded;
            var channel = new MqttTcpChannel(guarded, socket.LocalEndPoint, remote, null);
            var formatter = new MqttPacketFormatterAdapter(new MqttBufferWriter(_options.WriterBufferSize, _options.WriterBufferSizeMax));
            using var adapter = new MqttChannelAdapter(channel, formatter, _mqttLogger) { AllowPacketFragmentation = false };
            if (ClientHandler is { } handler)
            {
                await handler(adapter);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or AuthenticationException or OperationCanceledException or ObjectDisposedException)
        {
            ConnectionEnded(logger, remote?.ToString() ?? "", ex.Message);
        }
        finally
        {
            await stream.DisposeAsync();
        }
    }

    [LoggerMessage(200, LogLevel.Information, "Kiosk broker listening on {Address}:{Port} (TLS: {Tls})")]
    private static partial void Listening(ILogger logger, string address, int port, bool tls);

    [LoggerMessage(201, LogLevel.Warning, "Accepting a kiosk connection failed")]
    private static partial void AcceptFailed(ILogger logger, Exception exception);

    [LoggerMessage(202, LogLevel.Debug, "Connection from {Remote} ended: {Reason}")]
    private static partial void ConnectionEnded(ILogger logger, string remote, string reason);
}
