using Microsoft.Extensions.Configuration.Json;

namespace PassTrack.Hosting;

/// <summary>Shared by the edge and the dashboard (the dashboard compiles this file too).</summary>
internal static class ShippedSettings
{
    /// <summary>
    /// Started as <c>dotnet path/to/App.dll</c> from another folder (the demo starts both from the repository), the
    /// content root is that folder and the appsettings.json shipped beside the program (log levels above all) would be
    /// missed. It goes first, so a content root's own settings, the environment and the command line still override it.
    /// </summary>
    public static void AddShippedSettings(this IConfigurationManager configuration)
    {
        var shipped = new JsonConfigurationSource { Path = Path.Combine(AppContext.BaseDirectory, "appsettings.json"), Optional = true };
        shipped.ResolveFileProvider();
        configuration.Sources.Insert(0, shipped);
    }
}
