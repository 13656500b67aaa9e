using PassTrack.Contracts.Protocol;
using System.Globalization;
using System.Net;
using System.Text;

namespace PassTrack.Provision;

internal enum OsRelease { Trixie, Bookworm }

internal enum NetworkKind { Ethernet, Wifi }

/// <summary>Where the kiosk finds its building's edge (MQTT).</summary>
internal sealed record EdgeAddress(string Host, int Port)
{
    public const int DefaultPort = 1883;

    public override string ToString() => (Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host) + ":" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>HOST, HOST:PORT, or [IPv6]:PORT.</summary>
    public static bool TryParse(string? text, out EdgeAddress edge, out string problem)
    {
        edge = new EdgeAddress("", DefaultPort);
        problem = "";
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            problem = "the edge address is missing (HOST or HOST:PORT)";
            return false;
        }
        string host;
        string? port = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                problem = $"edge address {Texts.Visible(text)} has no closing ']'";
                return false;
            }
            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                if (!rest.StartsWith(':'))
                {
                    problem = $"edge address {Texts.Visible(text)} is not [IPv6]:PORT";
                    return false;
                }
                port = rest[1..];
            }
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                problem = $"edge address {Texts.Visible(text)} has no valid IPv6 address in brackets";
                return false;
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon >= 0 && text.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                problem = $"edge address {Texts.Visible(text)}: write an IPv6 address as [ADDRESS]:PORT";
                return false;
            }
            host = colon >= 0 ? text[..colon] : text;
            port = colon >= 0 ? text[(colon + 1)..] : null;
            if (!IsHostName(host) && !IPAddress.TryParse(host, out _))
            {
                problem = $"edge host {Texts.Visible(host)} is not a host name or IP address";
                return false;
            }
        }
        var number = DefaultPort;
        if (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number is < 1 or > 65535))
        {
            problem = $"edge port {Texts.Visible(port)} is not a number from 1 to 65535";
            return false;
        }
        edge = new EdgeAddress(host, number);
        return true;
    }

    private static bool IsHostName(string host) =>
        host.Length is > 0 and <= 253 && host.Split('.').All(Texts.IsDnsLabel);
}

/// <summary>
/// What is the same for every kiosk of one run: the edge (MQTT, and the HTTP port updates come from), the district's
/// enrolment token, the OS, and the district's update public key (PEM, already checked).
/// </summary>
internal sealed record DistrictSettings(EdgeAddress Edge, string EnrollmentToken, OsRelease Os, string UpdatePublicKeyPem, int EdgeHttpPort)
{
    public static bool TryParseOs(string? text, out OsRelease os)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "trixie":
                os = OsRelease.Trixie;
                return true;
            case "bookworm":
                os = OsRelease.Bookworm;
                return true;
            default:
                os = OsRelease.Trixie;
                return false;
        }
    }

    public static string? TokenProblem(string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return "the enrolment token is missing";
        }
        if (token.Length > 1024 || token.Any(char.IsControl))
        {
            return "the enrolment token must be one line of at most 1024 characters";
        }
        return null;
    }
}

/// <summary>One kiosk as typed on the command line or in a CSV row, not yet checked.</summary>
internal sealed record DeviceRequest(string? Id, string? Hostname, string? Network, string? Ssid, string? Psk, string? Country);

/// <summary>One kiosk, checked: every field is safe to put in YAML, shell and JSON.</summary>
internal sealed record Device(string Id, string Hostname, NetworkKind Network, string? Ssid, string? Psk, string? Country)
{
    /// <summary>Checks a request; the problems name the field and never echo the passphrase.</summary>
    public static Device? Check(DeviceRequest request, out IReadOnlyList<string> problems)
    {
        var found = new List<string>();
        var id = request.Id?.Trim() ?? "";
        if (id.Length == 0)
        {
            found.Add("the device id is missing");
        }
        else if (!Topics.IsValidKioskId(id))
        {
            found.Add($"device id {Texts.Visible(id)} is invalid: use 1 to 64 lower-case letters, digits and '-'");
        }

        var hostname = request.Hostname?.Trim().ToLowerInvariant() ?? "";
        if (hostname.Length > 0 && !Texts.IsDnsLabel(hostname))
        {
            found.Add($"hostname {Texts.Visible(hostname)} is invalid: use 1 to 63 letters, digits and '-', not starting or ending with '-'");
        }
        else if (hostname.Length == 0 && Topics.IsValidKioskId(id))
        {
            // The hostname defaults to the device id, which allows a few names DNS does not.
            hostname = id;
            if (!Texts.IsDnsLabel(hostname))
            {
                found.Add($"device id {Texts.Visible(id)} cannot be a hostname (at most 63 characters, not starting or ending with '-'): give a hostname");
            }
        }

        NetworkKind? network = request.Network?.Trim().ToLowerInvariant() switch
        {
            "ethernet" => NetworkKind.Ethernet,
            "wifi" => NetworkKind.Wifi,
            _ => null,
        };
        if (network is null)
        {
            found.Add(string.IsNullOrWhiteSpace(request.Network)
                ? "the network is missing (ethernet or wifi)"
                : $"unknown network {Texts.Visible(request.Network.Trim())} (use ethernet or wifi)");
        }

        string? ssid = null, psk = null, country = null;
        if (network == NetworkKind.Wifi)
        {
            ssid = request.Ssid;
            psk = request.Psk;
            country = request.Country?.Trim().ToUpperInvariant();
            if (string.IsNullOrEmpty(ssid))
            {
                found.Add("wifi needs an ssid");
            }
            else if (Encoding.UTF8.GetByteCount(ssid) > 32)
            {
                found.Add("the ssid is longer than 32 bytes");
            }
            else if (ssid.Any(char.IsControl))
            {
                // A newline or other control character cannot be typed into a Wi-Fi network's name field.
                found.Add("the ssid has a control character (a line break or tab)");
            }
            if (string.IsNullOrEmpty(psk))
            {
                found.Add("wifi needs a psk (the passphrase)");
            }
            else if (psk.Length < 8)
            {
                found.Add("the psk is shorter than 8 characters");
            }
            else if (psk.Length > 63)
            {
                found.Add("the psk is longer than 63 characters");
            }
            else if (psk.Any(c => c is < ' ' or > '~'))
            {
                // WPA2 passphrases are printable ASCII (IEEE 802.11i); anything else would not join.
                found.Add("the psk may hold only printable ASCII characters");
            }
            if (string.IsNullOrEmpty(country))
            {
                found.Add("wifi needs a country (two letters, e.g. US): the Pi keeps Wi-Fi off without one");
            }
            else if (country.Length != 2 || !country.All(char.IsAsciiLetterUpper))
            {
                found.Add($"country {Texts.Visible(country)} is not a two-letter code (e.g. US)");
            }
        }

        problems = found;
        return found.Count == 0 ? new Device(id, hostname, network!.Value, ssid, psk, country) : null;
    }
}

internal static class Texts
{
    public static bool IsDnsLabel(string label) =>
        label.Length is > 0 and <= 63
        && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
        && label[0] != '-' && label[^1] != '-';

    /// <summary>A value quoted for a message, with control characters shown instead of acted on.</summary>
    public static string Visible(string value)
    {
        var text = new StringBuilder("'");
        foreach (var c in value.Length > 80 ? value[..80] + "..." : value)
        {
            if (char.IsControl(c))
            {
                text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                text.Append(c);
            }
        }
        return text.Append('\'').ToString();
    }
}
