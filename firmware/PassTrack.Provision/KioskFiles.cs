using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PassTrack.Provision;

/// <summary>
/// What a kiosk needs on its root file system, the same on Trixie and Bookworm: its configuration, its credentials,
/// its systemd unit and udev rule, and the first-boot script that installs the kiosk and locks the root down.
/// </summary>
internal static class KioskFiles
{
    public const string ConfigPath = "/etc/passtrack/kiosk.json";
    public const string CredentialsPath = "/etc/passtrack/credentials.json";
    public const string UnitPath = "/etc/systemd/system/passtrack-kiosk.service";
    public const string UdevRulePath = "/etc/udev/rules.d/99-passtrack-pwm.rules";
    public const string FirstBootPath = "/usr/local/lib/passtrack/firstboot.sh";
    public const string DataDir = "/var/lib/passtrack";

    /// <summary>Where first boot finds the launcher: beside its own script, since it replaces the install folder whole.</summary>
    public const string LauncherStagePath = "/usr/local/lib/passtrack/" + LauncherName;
    public const string LauncherName = "passtrack-kiosk-launch";

    /// <summary>On the boot partition, relative to its root.</summary>
    public const string BundleOnBoot = "passtrack/passtrack-kiosk-linux-arm64.tar.gz";
    public const string ConfigFragmentOnBoot = "passtrack/config.txt";

    public static string Unit { get; } = Resource("passtrack-kiosk.service");

    /// <summary>Deploy/passtrack-kiosk-launch: the unit's ExecStart, which runs an installed update or the flashed kiosk.</summary>
    public static string Launcher { get; } = Resource(LauncherName);

    /// <summary>Where the kiosk reads the district's update public key: Deploy/kiosk.json's own setting, so the two cannot disagree.</summary>
    public static string UpdateKeyPath { get; } = UpdatesSetting("PublicKeyPath").GetValue<string>();

    /// <summary>The edge's HTTP port the kiosk downloads updates from, unless --edge-http-port says otherwise.</summary>
    public static int DefaultEdgeHttpPort { get; } = UpdatesSetting("EdgeHttpPort").GetValue<int>();

    /// <summary>Where the kiosk is unpacked: the unit's own WorkingDirectory, so the two cannot disagree.</summary>
    public static string InstallDir { get; } = Unit.Split('\n')
        .Select(l => l.Trim())
        .Where(l => l.StartsWith("WorkingDirectory=", StringComparison.Ordinal))
        .Select(l => l["WorkingDirectory=".Length..])
        .Single();

    /// <summary>Deploy/kiosk.json with the building's edge: its MQTT address and the HTTP port updates come from.</summary>
    public static string KioskJson(EdgeAddress edge, int edgeHttpPort)
    {
        var root = JsonNode.Parse(Resource("kiosk.json"))!;
        var edgeNode = root["Kiosk"]!["Edge"]!;
        edgeNode["Host"] = edge.Host;
        edgeNode["Port"] = edge.Port;
        root["Kiosk"]!["Updates"]!["EdgeHttpPort"] = edgeHttpPort;
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>The shape KioskCredentials.Load reads (camelCase); the secret is ready, so the kiosk never has to write /etc.</summary>
    public static string CredentialsJson(string kioskId, string secret, string enrollmentToken)
    {
        var json = new JsonObject
        {
            ["kioskId"] = kioskId,
            ["secret"] = secret,
            ["enrollmentToken"] = enrollmentToken,
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>The lines of hardware/README.md "config.txt", between markers so first boot appends them once.</summary>
    public static string ConfigFragment { get; } = """
        # PassTrack kiosk: begin (hardware/README.md, "config.txt")
        # [all] ends any conditional section the file stopped in, so these apply to every board.
        [all]
        dtparam=spi=on
        dtparam=i2c_arm=on
        dtparam=i2c_arm_baudrate=100000
        dtparam=audio=off
        dtoverlay=pwm,pin=18,func=2
        enable_uart=1
        # PassTrack kiosk: end

        """;

    public const string ConfigMarker = "# PassTrack kiosk: begin";

    /// <summary>
    /// sysfs creates PWM files root-only; on each pwmchip and each exported channel, hand the directory to the kiosk's
    /// group so it can export a channel and set period, duty cycle and enable.
    /// </summary>
    public static string UdevRule { get; } = """
        # PassTrack: the kiosk (group passtrack) drives the buzzer through /sys/class/pwm.
        SUBSYSTEM=="pwm", ACTION=="add|change", RUN+="/bin/sh -c 'chgrp -R passtrack /sys%p && chmod -R g+rwX /sys%p'"

        """;

    /// <summary>
    /// The first-boot steps after the user and files exist, in order, overlay root last. Safe to run again: district
    /// IT re-runs it by hand after adding a missing bundle.
    /// </summary>
    public static string FirstBootScript(Device device)
    {
        var script = new StringBuilder($$"""
            #!/bin/bash
            # PassTrack kiosk first boot (written by passtrack-provision). Safe to run again.
            set -euo pipefail
            BOOT=/boot/firmware
            [ -d "$BOOT" ] || BOOT=/boot
            BUNDLE="$BOOT/{{BundleOnBoot}}"
            INSTALL={{InstallDir}}
            log() { echo "passtrack-firstboot: $*"; logger -t passtrack-firstboot -- "$*" 2>/dev/null || true; }

            # The scan queue and installed updates (versions/, current, pending.json): on the PTDATA partition when
            # there is one, since the root becomes read-only. The fstab line is part of the lower root, so the overlay
            # mounts it at every boot; "defaults" includes exec, which updates need: the launcher runs them from there.
            mkdir -p {{DataDir}}
            if blkid -L PTDATA >/dev/null 2>&1; then
              if ! grep -q '^LABEL=PTDATA[[:space:]]' /etc/fstab; then
                echo 'LABEL=PTDATA {{DataDir}} ext4 defaults,noatime,nofail 0 2' >> /etc/fstab
              fi
              mountpoint -q {{DataDir}} || mount {{DataDir}}
            else
              log "no partition labelled PTDATA: the scan queue and updates stay on the root, which the overlay makes temporary"
            fi
            chown passtrack:passtrack {{DataDir}}
            chmod 0750 {{DataDir}}
            # The version just flashed is the one that runs: an update named by a data partition kept from before is not.
            rm -f {{DataDir}}/current {{DataDir}}/pending.json

            # SPI, I2C and PWM: taken from config.txt at the reboot that ends this script.
            if ! grep -qF '{{ConfigMarker}}' "$BOOT/config.txt" 2>/dev/null; then
              { echo; cat "$BOOT/{{ConfigFragmentOnBoot}}"; } >> "$BOOT/config.txt"
            fi
            udevadm control --reload-rules 2>/dev/null || true

            """);
        if (device.Network == NetworkKind.Wifi)
        {
            script.Append($$"""
                # Raspberry Pi OS keeps Wi-Fi blocked until a country is set.
                raspi-config nonint do_wifi_country {{device.Country}} || log "could not set the Wi-Fi country"

                """);
        }
        script.Append($$"""
            # The kiosk, from the bundle district IT put on the boot partition.
            if [ ! -f "$BUNDLE" ]; then
              log "$BUNDLE is missing: copy it there and run {{FirstBootPath}} again; the root stays writable"
              exit 1
            fi
            rm -rf "$INSTALL.new"
            mkdir -p "$INSTALL.new"
            tar -xzf "$BUNDLE" -C "$INSTALL.new" --no-same-owner
            chmod 0755 "$INSTALL.new/passtrack-kiosk"
            # The unit starts the launcher, which picks {{DataDir}}/versions/$(cat current) or this flashed kiosk.
            install -m 0755 {{LauncherStagePath}} "$INSTALL.new/{{LauncherName}}"
            rm -rf "$INSTALL"
            mv "$INSTALL.new" "$INSTALL"
            systemctl daemon-reload
            systemctl enable passtrack-kiosk.service

            # Last: the read-only overlay root, in force from the next boot. Nothing is written to the root after this.
            raspi-config nonint enable_overlayfs
            log "done: the kiosk starts after the reboot"

            """);
        return script.ToString();
    }

    private static JsonNode UpdatesSetting(string name) =>
        JsonNode.Parse(Resource("kiosk.json"))!["Kiosk"]!["Updates"]![name]
        ?? throw new InvalidOperationException($"The embedded kiosk.json has no Kiosk:Updates:{name}.");

    private static string Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded {name} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
