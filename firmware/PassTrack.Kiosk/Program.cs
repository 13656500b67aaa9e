using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using PassTrack.Kiosk.Appliance;
using PassTrack.Kiosk.Hardware;
using PassTrack.Kiosk.Hardware.CardReader;
using PassTrack.Kiosk.Hardware.Display;
using PassTrack.Kiosk.Hardware.Keypad;
using PassTrack.Kiosk.Hardware.Scanners;
using PassTrack.Kiosk.Hardware.Simulated;
using PassTrack.Kiosk.Hardware.Sound;
using PassTrack.Kiosk.Updates;

namespace PassTrack.Kiosk;

/// <summary>
/// <c>passtrack-kiosk</c>: the wall kiosk, run by systemd (<c>Type=notify</c>, watchdog). <c>--simulate</c> runs it
/// in a terminal with simulated devices against a real edge; <c>--self-test</c> checks the drivers against simulated
/// chips and the outbox on a temporary file, then exits (0 passed, 1 failed); see firmware/README.md.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Contains("--self-test"))
        {
            // Before the host: no configuration, credentials, devices or edge are needed or touched.
            return SelfTest.Run(Console.Out, TimeProvider.System);
        }
        if (args.Contains("--update-check"))
        {
            return UpdateCheck(args);
        }
        var simulate = args.Contains("--simulate");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [.. args.Where(a => a != "--simulate")],
            ContentRootPath = AppContext.BaseDirectory,
        });
        var configPath = builder.Configuration["config"] ?? "/etc/passtrack/kiosk.json";
        builder.Configuration.AddJsonFile(configPath, optional: true, reloadOnChange: false);
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddCommandLine([.. args.Where(a => a != "--simulate")]);
        builder.Services.AddSystemd();
        var options = builder.Configuration.GetSection(KioskOptions.Section).Get<KioskOptions>() ?? new KioskOptions();
        var time = new EdgeTime(TimeProvider.System);

        TerminalDevices? terminal = null;
        KioskDevices devices;
        if (simulate)
        {
            // The terminal is the display: logs go to standard error only when that is redirected (2>kiosk.log).
            builder.Logging.ClearProviders();
            if (Console.IsErrorRedirected)
            {
                builder.Logging.AddSimpleConsole(o => o.SingleLine = true).AddFilter("Microsoft", LogLevel.Warning);
                builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            }
            options.QueuePath = builder.Configuration["Kiosk:QueuePath"] ?? Path.Combine(Path.GetTempPath(), "passtrack-kiosk-sim.db");
            terminal = new TerminalDevices(Console.Out, ansi: !Console.IsOutputRedirected, time);
            if (builder.Configuration["Simulate:Cards"] is { Length: > 0 } cards)
            {
                terminal.Cards = [.. cards.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(c => new CardUid(c.ToUpperInvariant()))];
            }
            devices = new KioskDevices(terminal.Reader, terminal.Display, terminal.Sounder, null, []);
        }
        else
        {
            devices = OpenHardware(options, time);
        }

        KioskCredentials credentials;
        try
        {
            credentials = KioskCredentials.Load(options.CredentialPath);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or System.Text.Json.JsonException or UnauthorizedAccessException)
        {
            devices.Display.Show(["PassTrack kiosk", "No credentials:", "see district IT", ""]);
            await Console.Error.WriteLineAsync($"passtrack-kiosk: cannot read credentials from {options.CredentialPath}: {ex.Message}");
            devices.Dispose();
            return 2;
        }

        builder.Services.AddSingleton(sp => new KioskService(
            options, credentials, devices, time, sp.GetService<ISystemdNotifier>() ?? new SystemdNotifier(), sp.GetRequiredService<ILoggerFactory>(),
            flow => terminal?.Attach(flow, StopApplication(sp)), StopApplication(sp)));
        builder.Services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<KioskService>());
        using var host = builder.Build();
        var kiosk = host.Services.GetRequiredService<KioskService>();
        await host.RunAsync();
        devices.Dispose();
        return kiosk.RestartRequested ? KioskService.ExitForUpdate : 0;
    }

    /// <summary>
    /// The unit's <c>ExecStartPre</c>: counts a start of a version on trial and switches back from one that failed.
    /// Always exits 0: a broken check must not keep the kiosk from starting whichever version <c>current</c> names.
    /// </summary>
    private static int UpdateCheck(string[] args)
    {
        var arguments = args.Where(a => a != "--update-check").ToArray();
        var configuration = new ConfigurationBuilder().AddCommandLine(arguments).Build();
        configuration = new ConfigurationBuilder()
            .AddJsonFile(configuration["config"] ?? "/etc/passtrack/kiosk.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(arguments)
            .Build();
        var settings = configuration.GetSection(KioskOptions.Section).Get<KioskOptions>()?.Updates ?? new UpdateSettings();
        try
        {
            var store = new UpdateStore(settings.Root, null, TimeProvider.System);
            var pending = store.Pending;
            var verdict = store.CheckBeforeStart();
            Console.WriteLine(verdict switch
            {
                StartVerdict.RolledBack => $"update check: {pending?.Version} rolled back to {store.CurrentVersion ?? "the flashed version"} ({store.Outcome?.Detail})",
                StartVerdict.Trial => $"update check: {pending?.Version} on trial, start {store.Pending?.Starts} of {UpdateStore.MaxStarts}",
                _ => $"update check: running {store.CurrentVersion ?? "the flashed version"}",
            });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            Console.Error.WriteLine($"update check failed: {ex.Message}");
        }
        return 0;
    }

    private static Action StopApplication(IServiceProvider services) =>
        () => services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

    private static KioskDevices OpenHardware(KioskOptions options, TimeProvider time)
    {
        var display = CharacterLcdFactory.Open(options.Display, new ThreadDelay(time));
        display.Show(["PassTrack kiosk", "Starting...", "", ""]);
        var reader = Mfrc522Factory.Create(options.Reader, new ThreadDelay(time));
        var sounder = PwmSounder.Open(options.Sound, time);
        var keypad = Keypads.Open(options.Keypad, time);
        var scanner = Scanners.Open(options.Scanner, time);
        return new KioskDevices(reader, display, sounder, keypad, scanner is null ? [] : [scanner]);
    }
}
