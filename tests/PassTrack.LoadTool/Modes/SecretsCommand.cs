using PassTrack.Edge.Security;
using PassTrack.LoadTool.Targets;

namespace PassTrack.LoadTool.Modes;

/// <summary>
/// <c>secrets</c>: a new district enrolment token and bootstrap API key with the settings that install them on an edge,
/// as shell assignments (<c>eval "$(... secrets)"</c>), for a script that starts an edge and then <c>demo</c>.
/// </summary>
public static class SecretsCommand
{
    public static int Run()
    {
        var token = SecretHasher.NewSecret();
        var (key, setting) = EdgeTarget.NewBootstrapKey();
        Console.WriteLine($"export PASSTRACK_ENROLLMENT_TOKEN='{token}'");
        Console.WriteLine($"export EDGE__MQTT__ENROLLMENTTOKENHASH='{SecretHasher.Hash(token)}'");
        Console.WriteLine($"export PASSTRACK_API_KEY='{key}'");
        Console.WriteLine($"export EDGE__BOOTSTRAPAPIKEYHASH='{setting}'");
        return 0;
    }
}
