using System.Globalization;
using PassTrack.LoadTool.Cli;
using PassTrack.LoadTool.Traffic;

namespace PassTrack.LoadTool.Modes;

/// <summary>
/// Students' hands at one kiosk running the real firmware: prints the simulated kiosk's script commands
/// (<c>tap UID</c>, <c>keys 1</c>) to standard output as the students of a room would make them, for
/// <c>passtrack-kiosk --simulate</c> to read on its standard input. A student taps, reads the menu, picks a place
/// (mostly the first, the nearest restroom), goes, and taps back in some minutes later; one tap in a while is a
/// student who changes their mind and cancels. Runs until stopped, or for --taps first taps.
/// </summary>
public static class HandsCommand
{
    public static async Task<int> RunAsync(Args args, CancellationToken cancel)
    {
        var room = args.Required("room");
        var school = School.Demo(args.Text("demo-size") ?? "Typical");
        var students = school.Students.Where(s => s.Homeroom == room).ToList();
        if (students.Count == 0)
        {
            throw new UsageException($"--room: no demo student has '{room}' as their homeroom.");
        }
        var every = new Span(args.Range("every", (20, 60)).Min, args.Range("every", (20, 60)).Max);
        var away = new Span(args.Range("away", (60, 300)).Min, args.Range("away", (60, 300)).Max);
        var taps = args.Whole("taps", int.MaxValue);
        var random = new Random(args.Whole("seed", room.GetHashCode(StringComparison.Ordinal)));
        var output = Console.Out;
        var gate = new SemaphoreSlim(1, 1);
        var outNow = new HashSet<string>(StringComparer.Ordinal);
        var returns = new List<Task>();

        async Task Say(string line)
        {
            await gate.WaitAsync(cancel);
            try
            {
                await output.WriteLineAsync(line);
                await output.FlushAsync(cancel);
            }
            finally
            {
                gate.Release();
            }
        }

        async Task ComeBack(SimStudent student, TimeSpan after)
        {
            await Task.Delay(after, cancel);
            await Say($"tap {student.Card}");
            // If the pass was refused after all, the tap opened the menu: leave it for the next student.
            await Task.Delay(TimeSpan.FromSeconds(3), cancel);
            await Say("keys *");
            lock (outNow)
            {
                outNow.Remove(student.Id);
            }
        }

        try
        {
            for (var i = 0; i < taps; i++)
            {
                returns.RemoveAll(r => r.IsCompleted);
                await Task.Delay(TimeSpan.FromSeconds(every.Draw(random)), cancel);
                SimStudent student;
                lock (outNow)
                {
                    var inRoom = students.Where(s => !outNow.Contains(s.Id)).ToList();
                    if (inRoom.Count == 0)
                    {
                        continue;
                    }
                    student = inRoom[random.Next(inRoom.Count)];
                    outNow.Add(student.Id);
                }
                await Say($"tap {student.Card}");
                await Task.Delay(TimeSpan.FromSeconds(1.5 + random.NextDouble() * 2.5), cancel);
                var roll = random.NextDouble();
                if (roll < 0.08)
                {
                    await Say("keys *");
                    lock (outNow)
                    {
                        outNow.Remove(student.Id);
                    }
                    continue;
                }
                var key = roll < 0.65 ? '1' : roll < 0.85 ? '2' : '3';
                await Say(string.Create(CultureInfo.InvariantCulture, $"keys {key}"));
                returns.Add(ComeBack(student, TimeSpan.FromSeconds(away.Draw(random))));
            }
            await Task.WhenAll(returns);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // Stopped with the demo.
        }
        return 0;
    }
}
