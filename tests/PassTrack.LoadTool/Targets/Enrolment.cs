using System.Diagnostics;
using PassTrack.LoadTool.Kiosks;

namespace PassTrack.LoadTool.Targets;

/// <summary>
/// How a new kiosk gets into service on the edge: it connects with its own id and secret and the district's
/// enrolment token (the edge records it as pending), an admin approves it and binds it to a room over the API, and
/// the edge sends it its configuration.
/// </summary>
public static class Enrolment
{
    public static async Task EnrolAndApproveAsync(IReadOnlyList<SimKiosk> kiosks, MqttEndpoint broker, string enrollmentToken, EdgeApi api, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        await Fleet.ConnectAsync(kiosks, broker, enrollmentToken, parallel: 16, cancellationToken);
        var approved = 0;
        await Parallel.ForEachAsync(kiosks, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (kiosk, ct) =>
        {
            await api.ApproveAsync(kiosk.Id, kiosk.RoomId!, ct);
            if (Interlocked.Increment(ref approved) % 250 == 0)
            {
                Console.WriteLine($"  {approved} of {kiosks.Count} kiosks approved ({watch.Elapsed.TotalSeconds:0.0} s)");
            }
        });
        // A pending kiosk may have been let in or turned away until approved: reconnect any that is not connected now.
        var dropped = kiosks.Where(k => !k.IsConnected).ToList();
        if (dropped.Count > 0)
        {
            await Fleet.ConnectAsync(dropped, broker, enrollmentToken, parallel: 16, cancellationToken);
        }
        try
        {
            await Task.WhenAll(kiosks.Select(k => k.Configured)).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch (TimeoutException)
        {
            Console.WriteLine($"  warning: {kiosks.Count(k => !k.Configured.IsCompleted)} of {kiosks.Count} kiosks got no configuration command within 30 s of approval");
        }
        Console.WriteLine($"  {kiosks.Count} kiosks enrolled, approved and bound in {watch.Elapsed.TotalSeconds:0.0} s ({dropped.Count} reconnected after approval)");
    }
}
