using PassTrack.Contracts;
using System.Security.Cryptography;
using System.Text;

namespace PassTrack.Provision;

/// <summary>One file for the boot partition; a secret one is written owner-only.</summary>
internal sealed record BootFile(string RelativePath, string Content, bool Secret);

/// <summary>The boot-partition files for one kiosk, for the OS's first-boot convention.</summary>
internal static class BootFiles
{
    /// <summary>What Raspberry Pi Imager adds to cmdline.txt on Bookworm, with the script on the boot partition.</summary>
    public const string BookwormCmdline = "systemd.run=/boot/firmware/firstrun.sh systemd.run_success_action=reboot systemd.unit=kernel-command-line.target";

    public static IReadOnlyList<BootFile> For(Device device, DistrictSettings district, string secret)
    {
        var common = new BootFile(KioskFiles.ConfigFragmentOnBoot, KioskFiles.ConfigFragment, Secret: false);
        return district.Os switch
        {
            OsRelease.Trixie =>
            [
                new BootFile("user-data", UserData(device, district, secret), Secret: true),
                new BootFile("network-config", NetworkConfig(device), Secret: device.Network == NetworkKind.Wifi),
                new BootFile("meta-data", MetaData(device), Secret: false),
                common,
            ],
            _ =>
            [
                new BootFile("firstrun.sh", FirstRun(device, district, secret), Secret: true),
                common,
            ],
        };
    }

    /// <summary>cloud-init: the user, the files (credentials after the user exists), then the shared first-boot script and a reboot.</summary>
    public static string UserData(Device device, DistrictSettings district, string secret)
    {
        var text = new StringBuilder();
        text.Append("#cloud-config\n");
        text.Append($"# PassTrack kiosk {device.Id}, written by passtrack-provision. It holds the kiosk's secret: keep it private.\n");
        text.Append($"hostname: {Yaml.Quote(device.Hostname)}\n");
        text.Append("manage_etc_hosts: true\n");
        text.Append("groups:\n");
        foreach (var group in Groups)
        {
            text.Append($"  - {Yaml.Quote(group)}\n");
        }
        // Only the kiosk's user: no default account, so there is no login to guess on a hallway wall.
        text.Append("users:\n");
        text.Append("  - name: 'passtrack'\n");
        text.Append("    system: true\n");
        text.Append("    no_create_home: true\n");
        text.Append("    lock_passwd: true\n");
        text.Append("    shell: '/usr/sbin/nologin'\n");
        text.Append($"    groups: {Yaml.Quote(string.Join(", ", Groups))}\n");
        text.Append("write_files:\n");
        AppendFile(text, KioskFiles.ConfigPath, KioskFiles.KioskJson(district.Edge, district.EdgeHttpPort), "root:root", "0644", defer: false);
        AppendFile(text, KioskFiles.UpdateKeyPath, district.UpdatePublicKeyPem, "root:root", "0644", defer: false);
        // Deferred: write_files runs before users are created, and these belong to passtrack or run after.
        AppendFile(text, KioskFiles.CredentialsPath, KioskFiles.CredentialsJson(device.Id, secret, district.EnrollmentToken), "passtrack:passtrack", "0600", defer: true);
        AppendFile(text, KioskFiles.UdevRulePath, KioskFiles.UdevRule, "root:root", "0644", defer: false);
        AppendFile(text, KioskFiles.UnitPath, KioskFiles.Unit, "root:root", "0644", defer: false);
        AppendFile(text, KioskFiles.LauncherStagePath, KioskFiles.Launcher, "root:root", "0755", defer: true);
        AppendFile(text, KioskFiles.FirstBootPath, KioskFiles.FirstBootScript(device), "root:root", "0755", defer: true);
        text.Append("runcmd:\n");
        text.Append($"  - ['bash', {Yaml.Quote(KioskFiles.FirstBootPath)}]\n");
        text.Append("power_state:\n");
        text.Append("  mode: 'reboot'\n");
        text.Append("  message: 'PassTrack first boot done: rebooting into the read-only root'\n");
        text.Append("  condition: true\n");
        return text.ToString();
    }

    /// <summary>Netplan v2, as cloud-init's network-config.</summary>
    public static string NetworkConfig(Device device)
    {
        var text = new StringBuilder();
        text.Append("network:\n");
        text.Append("  version: 2\n");
        if (device.Network == NetworkKind.Ethernet)
        {
            text.Append("  ethernets:\n");
            text.Append("    eth0:\n");
            text.Append("      dhcp4: true\n");
            text.Append("      optional: true\n");
        }
        else
        {
            text.Append("  wifis:\n");
            text.Append("    wlan0:\n");
            text.Append("      dhcp4: true\n");
            text.Append("      optional: true\n");
            text.Append($"      regulatory-domain: {Yaml.Quote(device.Country!)}\n");
            text.Append("      access-points:\n");
            text.Append($"        {Yaml.Quote(device.Ssid!)}:\n");
            text.Append($"          password: {Yaml.Quote(device.Psk!)}\n");
        }
        return text.ToString();
    }

    /// <summary>A fresh instance id each run, so a re-provisioned card runs first boot again.</summary>
    public static string MetaData(Device device) =>
        $"instance-id: {Yaml.Quote($"passtrack-{device.Id}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}")}\n"
        + $"local-hostname: {Yaml.Quote(device.Hostname)}\n";

    /// <summary>Bookworm: Imager's firstrun.sh convention, the same steps in bash.</summary>
    public static string FirstRun(Device device, DistrictSettings district, string secret)
    {
        var text = new StringBuilder($$"""
            #!/bin/bash
            # PassTrack kiosk {{device.Id}} first run on Raspberry Pi OS Bookworm, written by passtrack-provision.
            # It holds the kiosk's secret: keep it private. It deletes itself when done.
            set +e
            BOOT=/boot/firmware
            [ -d "$BOOT" ] || BOOT=/boot
            CUSTOM=/usr/lib/raspberrypi-sys-mods/imager_custom

            # The hostname.
            if [ -x "$CUSTOM" ]; then
              "$CUSTOM" set_hostname {{Shell.Quote(device.Hostname)}}
            else
              echo {{Shell.Quote(device.Hostname)}} > /etc/hostname
              sed -i 's/^127\.0\.1\.1.*/127.0.1.1\t{{device.Hostname}}/' /etc/hosts
            fi

            # The kiosk's user: a system account without a login, in the device groups.
            for group in {{string.Join(' ', Groups)}}; do
              getent group "$group" >/dev/null || groupadd --system "$group"
            done
            if ! id passtrack >/dev/null 2>&1; then
              useradd --system --no-create-home --shell /usr/sbin/nologin --user-group passtrack
            fi
            usermod -a -G {{string.Join(',', Groups)}} passtrack


            """);
        if (device.Network == NetworkKind.Wifi)
        {
            text.Append($$"""
                # Wi-Fi, the way Imager sets it.
                if [ -x "$CUSTOM" ]; then
                  "$CUSTOM" set_wlan {{Shell.Quote(device.Ssid!)}} {{Shell.Quote(device.Psk!)}} {{Shell.Quote(device.Country!)}}
                else
                  echo "passtrack-firstrun: $CUSTOM is missing: Wi-Fi is not set up" >&2
                fi


                """);
        }
        else
        {
            text.Append("# Ethernet: NetworkManager takes DHCP on eth0 by itself.\n\n");
        }
        text.Append("# The kiosk's files.\n");
        text.Append(Shell.WriteFile(KioskFiles.ConfigPath, KioskFiles.KioskJson(district.Edge, district.EdgeHttpPort), "root:root", "0644"));
        text.Append(Shell.WriteFile(KioskFiles.UpdateKeyPath, district.UpdatePublicKeyPem, "root:root", "0644"));
        text.Append(Shell.WriteFile(KioskFiles.CredentialsPath, KioskFiles.CredentialsJson(device.Id, secret, district.EnrollmentToken), "passtrack:passtrack", "0600"));
        text.Append(Shell.WriteFile(KioskFiles.UdevRulePath, KioskFiles.UdevRule, "root:root", "0644"));
        text.Append(Shell.WriteFile(KioskFiles.UnitPath, KioskFiles.Unit, "root:root", "0644"));
        text.Append(Shell.WriteFile(KioskFiles.LauncherStagePath, KioskFiles.Launcher, "root:root", "0755"));
        text.Append(Shell.WriteFile(KioskFiles.FirstBootPath, KioskFiles.FirstBootScript(device), "root:root", "0755"));
        text.Append($$"""

            # Imager's convention: take systemd.run out of cmdline.txt (only its own words, so the overlay's stay) and
            # delete this script, whatever the steps below do, so the Pi never runs it twice.
            sed -i -e 's/ *systemd\.run[^ ]*//g' -e 's/ *systemd\.unit=kernel-command-line\.target//g' "$BOOT/cmdline.txt"
            rm -f "$BOOT/firstrun.sh"

            # The shared steps: data partition, config.txt, the kiosk, and the read-only root last.
            if ! bash {{KioskFiles.FirstBootPath}}; then
              echo "passtrack-firstrun: first boot did not finish; the root stays writable: see {{KioskFiles.FirstBootPath}}" >&2
            fi
            exit 0

            """);
        return text.ToString();
    }

    private static readonly string[] Groups = ["spi", "i2c", "gpio", "input", "dialout"];

    private static void AppendFile(StringBuilder text, string path, string content, string owner, string permissions, bool defer)
    {
        text.Append($"  - path: {Yaml.Quote(path)}\n");
        text.Append($"    owner: {Yaml.Quote(owner)}\n");
        text.Append($"    permissions: {Yaml.Quote(permissions)}\n");
        if (defer)
        {
            text.Append("    defer: true\n");
        }
        text.Append($"    content: {Yaml.Block(content, 6)}");
    }

    public static string NewSecret() => WireText.NewSecret();
}
