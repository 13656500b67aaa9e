using PassTrack.LoadTool.Modes;

namespace PassTrack.LoadTool.Cli;

public static class LoadToolMain
{
    public static async Task<int> RunAsync(string[] argv)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        try
        {
            var args = Args.Parse(argv);
            return args.Command switch
            {
                "run" => await MeasureCommands.RunAsync(args.Allow([.. Measuring, "baseline", "rate"]), cancel.Token),
                "saturate" => await MeasureCommands.SaturateAsync(args.Allow([.. Measuring, "no-baseline"]), cancel.Token),
                "baseline" => await MeasureCommands.BaselineAsync(args.Allow([.. Measuring, "rate"]), cancel.Token),
                "demo" => await DemoCommand.RunAsync(args.Allow("mqtt", "api", "token", "api-key", "kiosks", "rate", "duration", "any-time", "state", "kiosk-prefix", "demo-size", "think", "away", "check"), cancel.Token),
                "hands" => await HandsCommand.RunAsync(args.Allow("room", "every", "away", "taps", "seed", "demo-size"), cancel.Token),
                "baseline-server" => await BaselineServerMode.RunAsync(args.Allow("port", "data", "delivery")),
                "secrets" => SecretsCommand.Run(),
                "district-ingest" => await DistrictIngestCommand.RunAsync(args.Allow("buildings", "events", "batch", "window", "dashboard-dll"), cancel.Token),
                "scan-to-browser" => await ScanToBrowserCommand.RunAsync(args.Allow("passes", "warmup-passes", "room", "destination", "timeout", "demo-size", "edge-dll", "edge-env", "dashboard-dll", "keep"), cancel.Token),
                "help" or "--help" or "-h" => Usage(0),
                _ => throw new UsageException($"Unknown command '{args.Command}'."),
            };
        }
        catch (UsageException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return Usage(2);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Stopped.");
            return 130;
        }
    }

    private static readonly string[] Measuring =
    [
        "kiosks", "duration", "warmup", "timeout", "heartbeat", "report-every", "seed", "think", "away", "check", "demo-size", "kiosk-prefix",
        "edge-dll", "edge-env", "target", "baseline-delivery", "school-hours", "kiosk-rate-limit", "keep",
    ];

    private static int Usage(int code)
    {
        Console.WriteLine("""
            PassTrack load tool: simulated kiosks over real MQTT against the edge, and a bare-broker baseline.

              run       --kiosks 1000 --rate 200 --duration 60s   open loop: scans/s spread over the kiosks, latency percentiles, memory
              saturate  --kiosks 1000 --duration 60s              closed loop, as fast as answered: decisions/s, also vs the baseline
              baseline  --kiosks 1000 --duration 60s              the bare MQTTnet + SQLite group-commit broker alone
              district-ingest --buildings 10 --events 20000     the district's ingest rate: the real dashboard, N buildings sending as edges do
              scan-to-browser --passes 100 [--room A101 --destination library --warmup-passes 5 --timeout 10s]
                                                                  a kiosk's choice to the pass on the teacher's room board in headless
                                                                  Chromium: the real edge linked to the real dashboard, one pass at a
                                                                  time; p50/p90/p99/max (target p99 <= 1 s) and the kiosk's own latency
              demo      --mqtt HOST:PORT --api URL --token T --api-key K [--kiosks 12 --rate 2 --any-time]
                                                                  gentle realistic traffic against an edge already running;
                                                                  --any-time sets the policy's passesOutsidePeriods, --state FILE
                                                                  keeps the kiosks' secrets (default under ~/.local/share/passtrack)
              hands     --room B106 [--every 20-60 --away 60-300 --taps N]
                                                                  the script of a room's students for a kiosk running the real
                                                                  firmware (passtrack-kiosk --simulate reads it on stdin)
              secrets                                             a new enrolment token and bootstrap API key, and the edge
                                                                  settings that install them, as shell exports

            run and saturate start the real edge (dotnet PassTrack.Edge.dll --demo, Large school) on free loopback ports
            with a fresh store in a temporary folder. Options:
              --edge-dll PATH        the built edge (default: edge/PassTrack.Edge/bin/Release/net10.0/PassTrack.Edge.dll)
              --edge-env KEY=VALUE   extra environment for the edge (repeatable), e.g. EDGE__MAXBATCH=256
              --target edge|baseline what run/saturate measure (default edge)
              --baseline             run: also measure the baseline at the same rate     --no-baseline  saturate: skip it
              --baseline-delivery session|inject   how the baseline publishes replies (default session: straight into
                                     the kiosk's session; inject: InjectApplicationMessage, matched against every session)
              --school-hours         keep the edge's policy (by default run/saturate allow passes outside class time)
              --kiosk-rate-limit N   Edge:Mqtt:MaxMessagesPerSecondPerKiosk (default: 20, or more when a run needs it)
              --warmup 10s  --timeout 10s  --heartbeat 60s (0 = none)  --report-every 10s  --seed 7
              --think 1-4  --away 20-90  --check 15-45   seconds a student takes to choose, stays out, waits to check the line
              --demo-size Large|Typical  --keep (keep the temporary folder with the stores and logs)
            """);
        return code;
    }
}
