using PassTrack.Edge;
using PassTrack.Edge.Api;
using PassTrack.Edge.Broker;
using PassTrack.Edge.Federation;
using PassTrack.Edge.Store;
using PassTrack.Edge.Telemetry;

// "--demo" is a switch, not a setting: take it out before the host reads the command line.
var demo = args.Contains("--demo");
var builder = WebApplication.CreateBuilder(args.Where(a => a != "--demo").ToArray());

builder.AddEdgeOptions(demo);
builder.AddEdgeLogging();
builder.AddEdgeStore();
builder.AddEdgeTelemetry();
builder.AddKioskBroker();
builder.AddEdgeApi();
builder.AddDistrictLink();

var app = builder.Build();
if (await app.RunEdgeCommandAsync(args)) return;

app.UseDistrictCommands();
app.MapEdgeTelemetry();
app.MapEdgeApi();

app.Run();

/// <summary>The entry point, visible to the integration tests' host.</summary>
public partial class Program;
