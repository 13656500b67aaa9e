using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using PassTrack.Contracts.District;
using PassTrack.LoadTool.Cli;
using PassTrack.LoadTool.Stats;
using PassTrack.LoadTool.Targets;

namespace PassTrack.LoadTool.Modes;

/// <summary>
/// The district's ingest rate: the real dashboard as a child process (its embedded district broker, its SQLite store),
/// and N buildings that each send E events of pass-sized JSON the way an edge does (hello, then batches from where the
/// district says it holds the log, at most a window ahead of its acknowledgement). Prints events per second until
/// every building's log is held without a gap.
/// </summary>
public static class DistrictIngestCommand
{
    public static async Task<int> RunAsync(Args args, CancellationToken cancel)
    {
        var buildings = args.Whole("buildings", 10);
        var events = args.Whole("events", 20_000);
        var batchSize = args.Whole("batch", 200);
        var window = args.Whole("window", 2000);
        var dll = DistrictDashboard.Dll(args.Text("dashboard-dll"));
        var folder = Directory.CreateTempSubdirectory("passtrack-district-load-").FullName;
        await using var dashboard = new DistrictDashboard(dll, folder);
        var port = dashboard.BrokerPort;
        Console.WriteLine($"Registering {buildings} buildings...");
        var secrets = new List<(string Id, string Secret)>();
        for (var i = 1; i <= buildings; i++)
        {
            var id = $"school-{i:000}";
            secrets.Add((id, await dashboard.RegisterBuildingAsync(id, $"Load test {id}", cancel)));
        }
        await dashboard.StartAsync(TimeSpan.FromSeconds(60), cancel);

        Console.WriteLine($"{buildings} buildings x {events:N0} events, batches of {batchSize}, window {window}, into {folder}");
        var watch = Stopwatch.StartNew();
        var senders = secrets.Select(s => SendAsync(port, s.Id, s.Secret, events, batchSize, window, cancel)).ToList();
        await Task.WhenAll(senders);
        watch.Stop();
        var total = (long)buildings * events;
        var rate = total / watch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SUMMARY district-ingest buildings={buildings} events={total} seconds={watch.Elapsed.TotalSeconds:F1} events/s={rate:F0} rss={ProcessProbe.RssMbOf(dashboard.Pid):F0}MB"));
        return 0;
    }

    /// <summary>One building's edge, as the real link behaves: resend from where the district says, within the window.</summary>
    private static async Task SendAsync(int port, string id, string secret, int events, int batchSize, int window, CancellationToken cancel)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var through = -1L;
        long cursor = 0;
        var progressed = new SemaphoreSlim(0);
        client.ApplicationMessageReceivedAsync += e =>
        {
            var sync = JsonSerializer.Deserialize(e.ApplicationMessage.Payload.ToArray(), DistrictJson.Default.SyncMessage)!;
            lock (progressed)
            {
                if (sync.Resend)
                {
                    cursor = sync.Through;
                }
                through = Math.Max(through, sync.Through);
            }
            progressed.Release();
            return Task.CompletedTask;
        };
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(id).WithCredentials(id, secret)
            .WithProtocolVersion(MqttProtocolVersion.V500).WithTimeout(TimeSpan.FromSeconds(10)).Build(), cancel);
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(DistrictTopics.For(id, DistrictTopic.Sync), MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancel);
        await Publish(client, DistrictTopics.For(id, DistrictTopic.Hello), JsonSerializer.SerializeToUtf8Bytes(new HelloMessage(DistrictJson.Version, id, id, events, "load"), DistrictJson.Default.HelloMessage), cancel);
        await progressed.WaitAsync(cancel);
        while (true)
        {
            long from, held;
            lock (progressed)
            {
                from = cursor;
                held = through;
            }
            if (held >= events)
            {
                break;
            }
            if (from < events && from - held < window)
            {
                var count = (int)Math.Min(batchSize, events - from);
                var batch = new EventBatch(DistrictJson.Version, id, [.. Enumerable.Range(1, count).Select(i => Event(from + i))], events);
                await Publish(client, DistrictTopics.For(id, DistrictTopic.Events), JsonSerializer.SerializeToUtf8Bytes(batch, DistrictJson.Default.EventBatch), cancel);
                lock (progressed)
                {
                    if (cursor == from)
                    {
                        cursor = from + count;
                    }
                }
                continue;
            }
            await progressed.WaitAsync(cancel);
        }
        await client.DisconnectAsync(cancellationToken: cancel);
    }

    private static FederatedEvent Event(long sequence) => new(
        sequence,
        "PassCreated",
        1_780_000_000_000 + sequence * 1000,
        JsonSerializer.SerializeToElement(new PassCreatedLike(sequence, $"{100000 + sequence % 1200}", "A101", "restroom-a-north", "Granted", "Kiosk", "kiosk-a101", 8)));

    private sealed record PassCreatedLike(long Pass, string Student, string Origin, string Destination, string State, string Source, string By, int LimitMinutes);

    private static Task<MqttClientPublishResult> Publish(IMqttClient client, string topic, byte[] payload, CancellationToken cancel) =>
        client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancel);
}
