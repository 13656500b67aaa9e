using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using PassTrack.Edge.Kiosks;
using PassTrack.Edge.Telemetry;
using PassTrack.Rules.Demo;
using PassTrack.Rules.Students;

namespace PassTrack.Edge.Tests.Kiosks;

/// <summary>Kiosks and students of the demo school, ready for a test.</summary>
internal static class KioskTestSupport
{
    public const string EnrollmentToken = "district-enrolment-token-2026";

    /// <summary>Registers a kiosk with a known secret, approved and bound to <paramref name="room"/>; returns the secret.</summary>
    public static async Task<string> ProvisionAsync(EdgeHost edge, string kioskId, string? room)
    {
        var secret = $"secret-of-{kioskId}-0123456789";
        var provisioned = await edge.Services.GetRequiredService<KioskRegistry>().ProvisionAsync(kioskId, secret, room, DemoSchool.Principal);
        Assert.Equal(KioskChangeResult.Done, provisioned.Change.Result);
        return secret;
    }

    /// <summary>The demo kiosk of <paramref name="room"/> (kiosk-a101 for A101), provisioned and connected.</summary>
    public static async Task<TestKiosk> KioskInAsync(EdgeHost edge, string room, int? port = null)
    {
        var id = $"kiosk-{room.ToLowerInvariant()}";
        var secret = await ProvisionAsync(edge, id, room);
        return await TestKiosk.ConnectAsync(port ?? edge.MqttPort, id, secret, edge.Clock);
    }

    /// <summary>Students no rule singles out: no plan, no designated or restricted places, in no encounter group.</summary>
    public static IReadOnlyList<Student> PlainStudents(EdgeHost edge)
    {
        var configuration = edge.Writer.StartingConfiguration;
        var grouped = configuration.EncounterGroups.SelectMany(g => g.Members).ToHashSet();
        return [.. configuration.Students.Where(s => s.Enrolled
            && s.Profile.Accommodations.Plan is null
            && s.Profile.DesignatedRestrooms.Count == 0
            && s.Profile.RestrictedDestinations.Count == 0
            && !grouped.Contains(s.Id))];
    }

    public static string Card(Student student) => student.Credentials.First(c => c.Kind == CredentialKind.Card).Value;

    /// <summary>Completes with the next refusal of <paramref name="reason"/> (for <paramref name="kioskId"/>, when given).</summary>
    public static Task<KioskRefusal> RefusalAsync(EdgeHost edge, string reason, string? kioskId = null)
    {
        var refusals = edge.Services.GetRequiredService<KioskRefusals>();
        var done = new TaskCompletionSource<KioskRefusal>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnRecorded(KioskRefusal r)
        {
            if (r.Reason == reason && (kioskId is null || r.KioskId == kioskId))
            {
                done.TrySetResult(r);
            }
        }
        refusals.Recorded += OnRecorded;
        return done.Task.WaitAsync(TestKiosk.Timeout).ContinueWith(
            t =>
            {
                refusals.Recorded -= OnRecorded;
                return t;
            },
            TaskScheduler.Default).Unwrap();
    }
}

/// <summary>Counts this edge's <c>passtrack.mqtt.refused</c> measurements by reason (other edges in the process are ignored).</summary>
internal sealed class RefusedMetric : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    public RefusedMetric(EdgeHost edge)
    {
        var factory = edge.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == EdgeMetrics.MeterName && instrument.Name == "passtrack.mqtt.refused" && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "reason" && tag.Value is string reason)
                {
                    lock (_counts)
                    {
                        _counts[reason] = _counts.GetValueOrDefault(reason) + value;
                    }
                }
            }
        });
        _listener.Start();
    }

    public long this[string reason]
    {
        get
        {
            lock (_counts)
            {
                return _counts.GetValueOrDefault(reason);
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
