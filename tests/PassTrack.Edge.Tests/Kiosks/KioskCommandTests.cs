using Microsoft.Extensions.DependencyInjection;
using PassTrack.Contracts.Passes;
using PassTrack.Contracts.Protocol;
using PassTrack.Rules;
using PassTrack.Rules.Configuration;
using PassTrack.Rules.Demo;
using PassTrack.Rules.Emergencies;
using PassTrack.Rules.Summons;
using static PassTrack.Edge.Tests.Kiosks.KioskTestSupport;

namespace PassTrack.Edge.Tests.Kiosks;

/// <summary>Edge to kiosk: configuration, banners, summons and time, on each kiosk's own command topic.</summary>
public class KioskCommandTests
{
    [Fact]
    public async Task A_kiosk_gets_its_room_and_a_menu_with_its_own_wings_restrooms_first()
    {
        using var edge = await new EdgeHost().StartedAsync();
        await using var kiosk = await KioskInAsync(edge, "A101");

        var configure = await kiosk.CommandAsync(CommandType.Configure);

        var configuration = configure.Configuration!;
        Assert.Equal("A101", configuration.RoomId);
        Assert.Equal("Lincoln High School", configuration.BuildingName);
        Assert.Equal(["restroom-a-north", "restroom-a-south", "water-a"], configuration.Destinations.Take(3).Select(d => d.DestinationId));
        Assert.DoesNotContain(configuration.Destinations, d => d.DestinationId.StartsWith("restroom-b", StringComparison.Ordinal));
        Assert.DoesNotContain(configuration.Destinations, d => d.DestinationId == "restroom-health");
        Assert.Contains(configuration.Destinations, d => d is { DestinationId: "nurse", Label: "Nurse", LabelEs: "Enfermería" });
        await kiosk.CommandAsync(CommandType.TimeSync);
    }

    [Fact]
    public async Task Closing_a_destination_sends_every_kiosk_a_new_menu()
    {
        using var edge = await new EdgeHost().StartedAsync();
        await using var kiosk = await KioskInAsync(edge, "A101");
        await kiosk.CommandAsync(CommandType.Configure);
        var locker = edge.Writer.StartingConfiguration.Destinations.Single(d => d.Id.Value == "locker");

        await edge.Writer.SubmitAsync(new SaveDestination(locker with { Open = false }, edge.Clock.GetUtcNow(), DemoSchool.Principal), TestContext.Current.CancellationToken);

        var updated = await kiosk.CommandAsync(c => c.Type == CommandType.Configure && c.Configuration!.Destinations.All(d => d.DestinationId != "locker"));
        Assert.Contains(updated.Configuration!.Destinations, d => d.DestinationId == "nurse");
    }

    [Fact]
    public async Task A_lockdown_reaches_every_connected_kiosk_and_clearing_it_too()
    {
        using var edge = await new EdgeHost().StartedAsync();
        await using var a101 = await KioskInAsync(edge, "A101");
        await using var b102 = await KioskInAsync(edge, "B102");
        await using var nurse = await KioskInAsync(edge, "NURSE");

        await edge.Writer.SubmitAsync(new StartEmergency(EmergencyKind.Lockdown, edge.Clock.GetUtcNow(), DemoSchool.Principal), TestContext.Current.CancellationToken);

        foreach (var kiosk in new[] { a101, b102, nurse })
        {
            await kiosk.CommandAsync(CommandType.Lockdown);
        }
        var scan = await a101.ScanAsync(Card(PlainStudents(edge)[0]));
        Assert.Equal(ReasonCode.Lockdown, scan.Reason);

        // A kiosk that comes online during the lockdown shows it at once.
        await using var late = await KioskInAsync(edge, "C103");
        await late.CommandAsync(CommandType.Lockdown);

        await edge.Writer.SubmitAsync(new ClearEmergency(edge.Clock.GetUtcNow(), DemoSchool.Principal), TestContext.Current.CancellationToken);
        foreach (var kiosk in new[] { a101, b102, nurse, late })
        {
            await kiosk.CommandAsync(CommandType.Clear);
        }
    }

    [Fact]
    public async Task A_summons_alerts_the_kiosk_where_the_student_is_and_stops_when_answered()
    {
        using var edge = await new EdgeHost().StartedAsync();
        var student = PlainStudents(edge)[0];
        var room = student.Timetable.TryGetValue("3", out var period3) ? period3 : student.Homeroom!.Value;
        await using var kiosk = await KioskInAsync(edge, room.Value);
        await kiosk.CommandAsync(CommandType.Configure);

        var summoned = await edge.Writer.SubmitAsync(new Summon([student.Id], new SummonsTarget(DestinationKind.Office, new DestinationId("office")), SummonsPriority.Routine, edge.Clock.GetUtcNow(), DemoSchool.Principal), TestContext.Current.CancellationToken);
        Assert.Equal(Outcome.Accepted, summoned.Decision!.Outcome);

        var alert = await kiosk.CommandAsync(CommandType.Summons);
        Assert.Equal(student.Id.Value, alert.Summons!.StudentId);
        Assert.Equal(student.FirstName, alert.Summons.FirstName);
        Assert.Equal("Main Office", alert.Summons.Destination);
        Assert.Equal("Oficina", alert.Summons.DestinationEs);

        var tap = await kiosk.ScanAsync(Card(student));
        Assert.Equal(ReasonCode.SummonsAcknowledged, tap.Reason);
        var closed = await kiosk.CommandAsync(CommandType.SummonsClosed);
        Assert.Equal(alert.Summons.SummonsId, closed.SummonsId);
    }

    [Fact]
    public async Task Kiosks_get_the_time_periodically()
    {
        using var edge = await new EdgeHost().StartedAsync();
        await using var kiosk = await KioskInAsync(edge, "A101");
        await kiosk.CommandAsync(CommandType.TimeSync);
        var before = kiosk.Commands.Count(c => c.Type == CommandType.TimeSync);

        edge.Clock.Advance(TimeSpan.FromMinutes(15));

        await kiosk.CommandAsync(c => c.Type == CommandType.TimeSync && c.At == edge.Clock.GetUtcNow());
        Assert.True(kiosk.Commands.Count(c => c.Type == CommandType.TimeSync) > before);
    }
}
