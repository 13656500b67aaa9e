using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using PassTrack.Edge.Security;
using static PassTrack.Edge.Tests.Api.ApiClient;

namespace PassTrack.Edge.Tests.Api;

/// <summary>The edge's own command line, run as a real process against a store the edge then serves.</summary>
public partial class ApiKeyCommandTests
{
    [Fact]
    public async Task Create_api_key_stores_a_key_with_its_scopes_and_prints_it_once_and_revoke_api_key_ends_it()
    {
        var folder = Directory.CreateTempSubdirectory("passtrack-cli-").FullName;
        var dataPath = Path.Combine(folder, "edge.db");
        try
        {
            var (created, output) = await RunEdgeAsync(dataPath, "create-api-key", "--name", "district-dashboard", "--scopes", "passes:read,events");
            var (unknownScope, _) = await RunEdgeAsync(dataPath, "create-api-key", "--name", "x", "--scopes", "passes:read,everything");
            var key = Assert.Single(KeyLine().Matches(output)).Value;

            string actor;
            HttpStatusCode read, wrongScope, afterRevoke;
            using (var edge = await new EdgeHost(configure: s => s["Edge:DataPath"] = dataPath).StartedAsync())
            using (var client = edge.CreateClient())
            {
                client.DefaultRequestHeaders.Add(ApiKeyDefaults.Header, key);
                read = (await client.GetAsync("/api/passes/active", Ct)).StatusCode;
                wrongScope = (await client.GetAsync("/api/kiosks", Ct)).StatusCode;
                actor = (await edge.AuditAsync()).Single().Actor;
                await RunEdgeAsync(dataPath, "revoke-api-key", "--name", "district-dashboard");
                afterRevoke = (await client.GetAsync("/api/passes/active", Ct)).StatusCode;
            }

            Assert.Equal(0, created);
            Assert.Equal(2, unknownScope);
            Assert.Equal(HttpStatusCode.OK, read);
            Assert.Equal(HttpStatusCode.Forbidden, wrongScope);
            Assert.Equal("district-dashboard", actor);
            Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [GeneratedRegex("^pt_[a-z0-9]{8}_[A-Za-z0-9_-]+$", RegexOptions.Multiline)]
    private static partial Regex KeyLine();

    private static async Task<(int ExitCode, string Output)> RunEdgeAsync(string dataPath, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["Edge__DataPath"] = dataPath;
        start.Environment["Edge__Demo"] = "false";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await output).Replace("\r", "", StringComparison.Ordinal) + await errors);
    }
}
