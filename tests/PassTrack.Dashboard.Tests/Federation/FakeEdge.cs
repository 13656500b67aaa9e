using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using PassTrack.Contracts.District;

namespace PassTrack.Dashboard.Tests.Federation;

/// <summary>
/// A building's side of the federation protocol spoken by hand, for what a real edge never does on purpose:
/// batches out of order, twice, or under another building's name.
/// </summary>
internal sealed class FakeEdge : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly IMqttClient _client;
    private readonly Channel<SyncMessage> _syncs = Channel.CreateUnbounded<SyncMessage>();
    private readonly string _buildingId;

    private FakeEdge(IMqttClient client, string buildingId)
    {
        _client = client;
        _buildingId = buildingId;
        client.ApplicationMessageReceivedAsync += e =>
        {
            if (JsonSerializer.Deserialize(e.ApplicationMessage.Payload.ToArray(), DistrictJson.Default.SyncMessage) is { } sync)
            {
                _syncs.Writer.TryWrite(sync);
            }
            return Task.CompletedTask;
        };
    }

    public static async Task<FakeEdge> ConnectAsync(int port, string buildingId, string secret)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(Options(port, buildingId, secret));
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        var edge = new FakeEdge(client, buildingId);
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(DistrictTopics.For(buildingId, DistrictTopic.Sync), MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return edge;
    }

    public static Task<MqttClientConnectResultCode> TryConnectAsync(int port, string buildingId, string secret) =>
        PassTrack.Edge.Tests.Kiosks.TestKiosk.TryConnectAsync(Options(port, buildingId, secret));

    public async Task SendAsync(EventBatch batch)
    {
        var result = await PublishAsync(DistrictTopics.For(_buildingId, DistrictTopic.Events), JsonSerializer.SerializeToUtf8Bytes(batch, DistrictJson.Default.EventBatch));
        Assert.True(result.IsSuccess, result.ReasonString);
    }

    public Task<MqttClientPublishResult> PublishAsync(string topic, byte[] payload) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    public async Task<SyncMessage> NextSyncAsync() => await _syncs.Reader.ReadAsync().AsTask().WaitAsync(Patience);

    private static MqttClientOptions Options(int port, string buildingId, string secret) => new MqttClientOptionsBuilder()
        .WithTcpServer("127.0.0.1", port)
        .WithClientId(buildingId)
        .WithCredentials(buildingId, secret)
        .WithProtocolVersion(MqttProtocolVersion.V500)
        .WithTimeout(TimeSpan.FromSeconds(10))
        .Build();

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }
        _client.Dispose();
    }
}
