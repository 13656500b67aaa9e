using System.Diagnostics;

namespace PassTrack.LoadTool.Kiosks;

/// <summary>Making and connecting many simulated kiosks at once.</summary>
public static class Fleet
{
    /// <summary>Kiosks <c>{prefix}-0001</c>... each with its own random secret, bound (later) to <paramref name="rooms"/>.</summary>
    public static IReadOnlyList<SimKiosk> Create(string prefix, IReadOnlyList<string> rooms) =>
        rooms.Select((room, i) => new SimKiosk($"{prefix}-{i + 1:D4}", Edge.Security.SecretHasher.NewSecret(), i) { RoomId = room }).ToList();

    /// <summary>Connects every kiosk, <paramref name="parallel"/> at a time; throws with the reasons if any is refused.</summary>
    public static async Task ConnectAsync(IReadOnlyList<SimKiosk> kiosks, MqttEndpoint broker, string? enrollmentToken, int parallel, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var done = 0;
        await Parallel.ForEachAsync(kiosks, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken }, async (kiosk, ct) =>
        {
            if (!kiosk.IsConnected && await kiosk.ConnectAsync(broker, enrollmentToken, ct) is { } refused)
            {
                failures.Add($"{kiosk.Id}: {refused}");
            }
            if (Interlocked.Increment(ref done) % 250 == 0)
            {
                Console.WriteLine($"  {done} of {kiosks.Count} kiosks connected ({watch.Elapsed.TotalSeconds:0.0} s)");
            }
        });
        if (!failures.IsEmpty)
        {
            throw new InvalidOperationException($"{failures.Count} of {kiosks.Count} kiosks could not connect to {broker}, e.g. {string.Join("; ", failures.Take(3))}");
        }
        Console.WriteLine($"  {kiosks.Count} kiosks connected to {broker} in {watch.Elapsed.TotalSeconds:0.0} s");
    }

    public static async Task DisconnectAsync(IReadOnlyList<SimKiosk> kiosks)
    {
        await Parallel.ForEachAsync(kiosks, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (kiosk, _) => await kiosk.DisposeAsync());
    }
}
