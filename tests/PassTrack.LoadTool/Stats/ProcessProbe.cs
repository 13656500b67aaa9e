using System.Diagnostics;
using System.Globalization;

namespace PassTrack.LoadTool.Stats;

/// <summary>One sample of a process: resident memory and CPU used since the previous sample.</summary>
public readonly record struct ProcessSample(TimeSpan At, double RssMb, double CpuPercent);

/// <summary>
/// Reads a Linux process's resident set (VmRSS in /proc/PID/status) and CPU time (utime + stime in /proc/PID/stat),
/// sampled through a run so the report can show memory is flat over a soak.
/// </summary>
public sealed class ProcessProbe(int pid, string name)
{
    private const double ClockTicksPerSecond = 100; // USER_HZ on Linux
    private readonly List<ProcessSample> _samples = [];
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _lastTimestamp = Stopwatch.GetTimestamp();
    private double _lastCpuSeconds = CpuSecondsOf(pid);
    private long _markTimestamp;
    private double _markCpuSeconds;

    public string Name { get; } = name;

    public int Pid { get; } = pid;

    public IReadOnlyList<ProcessSample> Samples => _samples;

    public ProcessSample Sample()
    {
        var now = Stopwatch.GetTimestamp();
        var cpu = CpuSecondsOf(Pid);
        var wall = Stopwatch.GetElapsedTime(_lastTimestamp, now).TotalSeconds;
        var sample = new ProcessSample(Stopwatch.GetElapsedTime(_start, now), RssMbOf(Pid), wall > 0 ? 100 * (cpu - _lastCpuSeconds) / wall : 0);
        _lastTimestamp = now;
        _lastCpuSeconds = cpu;
        _samples.Add(sample);
        return sample;
    }

    /// <summary>Starts the window <see cref="CpuPercentSinceMark"/> measures (the end of warm-up).</summary>
    public void Mark()
    {
        _markTimestamp = Stopwatch.GetTimestamp();
        _markCpuSeconds = CpuSecondsOf(Pid);
    }

    /// <summary>Average CPU since <see cref="Mark"/>, in percent of one core (200 % is both cores of this machine).</summary>
    public double CpuPercentSinceMark()
    {
        var wall = Stopwatch.GetElapsedTime(_markTimestamp).TotalSeconds;
        return wall > 0 ? 100 * (CpuSecondsOf(Pid) - _markCpuSeconds) / wall : 0;
    }

    public static double RssMbOf(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kb = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                    return kb / 1024.0;
                }
            }
        }
        catch (IOException)
        {
            // The process has gone.
        }
        return 0;
    }

    public static double CpuSecondsOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name is in parentheses and may hold spaces: count fields after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the name.
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / ClockTicksPerSecond;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
