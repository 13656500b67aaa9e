using System.Net;
using PassTrack.Contracts.Passes;
using PassTrack.Edge.Configuration;
using PassTrack.Edge.Security;
using PassTrack.Rules.Configuration;
using static PassTrack.Edge.Tests.Api.ApiClient;

namespace PassTrack.Edge.Tests.Api;

public class ConfigurationApiTests
{
    [Fact]
    public async Task Closing_a_destination_reroutes_new_requests_and_opening_it_again_restores_it()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var admin = await edge.ClientAsync(Scopes.Configure);
        var student = edge.PlainStudents().First(s => s.Homeroom!.Value.Value.StartsWith('A'));

        using var closed = await admin.PostAsync("/api/config/destinations/restroom-a-north/close", null, Ct);
        var destinations = await (await admin.GetAsync("/api/config/destinations", Ct)).ReadAsync<List<DestinationDto>>();
        var decision = await edge.KioskRequestAsync(student, "restroom-a-north");
        using var opened = await admin.PostAsync("/api/config/destinations/restroom-a-north/open", null, Ct);
        using var unknown = await admin.PostAsync("/api/config/destinations/roof/close", null, Ct);

        Assert.False((await closed.ReadAsync<DestinationDto>()).Open);
        Assert.False(destinations.Single(d => d.Id == "restroom-a-north").Open);
        Assert.Equal(ReasonCode.RoutedAroundClosedDestination, decision.Reason);
        Assert.True((await opened.ReadAsync<DestinationDto>()).Open);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_destination_room_and_section_are_saved_whole_and_read_back()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var admin = await edge.ClientAsync(Scopes.Configure);
        var section = new SectionDto("GYM", "Gym Wing", ["A"]);
        var room = new RoomDto("GYM1", "Gym", "GYM", ["t-gym"], MaxOut: 3);
        var destination = new DestinationDto("restroom-gym", "Gym Restroom", DestinationKind.Restroom, TimeSpan.FromMinutes(6), "GYM", 3, SpanishName: "Baño del gimnasio");

        using var savedSection = await admin.PutJsonAsync("/api/config/sections/GYM", section);
        using var savedRoom = await admin.PutJsonAsync("/api/config/rooms/GYM1", room);
        using var savedDestination = await admin.PutJsonAsync("/api/config/destinations/restroom-gym", destination);
        var rooms = await (await admin.GetAsync("/api/config/rooms", Ct)).ReadAsync<List<RoomDto>>();
        var destinations = await (await admin.GetAsync("/api/config/destinations", Ct)).ReadAsync<List<DestinationDto>>();

        Assert.Equal(HttpStatusCode.OK, savedSection.StatusCode);
        Assert.Equal(HttpStatusCode.OK, savedRoom.StatusCode);
        Assert.Equal(HttpStatusCode.OK, savedDestination.StatusCode);
        var storedRoom = rooms.Single(r => r.Id == "GYM1");
        Assert.Equal(("Gym", "GYM", (int?)3, false), (storedRoom.Name, storedRoom.SectionId, storedRoom.MaxOut, storedRoom.TardyMode));
        Assert.Equal(["t-gym"], storedRoom.Teachers);
        var stored = destinations.Single(d => d.Id == "restroom-gym");
        Assert.Equal((3, TimeSpan.FromMinutes(6), "Baño del gimnasio"), (stored.Capacity, stored.TimeLimit, stored.SpanishName));
    }

    [Fact]
    public async Task Invalid_configuration_is_refused_with_a_reason_staff_can_act_on()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var admin = await edge.ClientAsync(Scopes.Configure);

        using var unknownSection = await admin.PutJsonAsync("/api/config/rooms/X1", new RoomDto("X1", "Room X1", "NOWHERE", []));
        using var mismatched = await admin.PutJsonAsync("/api/config/rooms/X1", new RoomDto("X2", "Room X2", "A", []));
        using var badPeriods = await admin.PutJsonAsync("/api/config/bell-schedules/regular",
            new BellScheduleDto("regular", [new PeriodDto("1", new TimeOnly(9, 0), new TimeOnly(8, 0))], TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10)));
        using var badPolicy = await admin.PutJsonAsync("/api/config/policy", new BuildingPolicy { ClaimWindow = TimeSpan.Zero, DailyLimit = -1 });
        using var unknownDayType = await admin.PutJsonAsync("/api/config/calendar",
            new CalendarDto(new Dictionary<DayOfWeek, string> { [DayOfWeek.Monday] = "festival" }, []));

        Assert.Equal(HttpStatusCode.Conflict, unknownSection.StatusCode);
        Assert.Equal(nameof(ReasonCode.InvalidConfiguration), await unknownSection.ReasonAsync());
        Assert.Contains("NOWHERE", (await unknownSection.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, mismatched.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badPeriods.StatusCode);
        Assert.True((await badPeriods.JsonAsync()).GetProperty("errors").TryGetProperty("periods[0].end", out _));
        Assert.Equal(HttpStatusCode.BadRequest, badPolicy.StatusCode);
        var policyErrors = (await badPolicy.JsonAsync()).GetProperty("errors");
        Assert.True(policyErrors.TryGetProperty("claimWindow", out _) && policyErrors.TryGetProperty("dailyLimit", out _));
        Assert.Equal(HttpStatusCode.BadRequest, unknownDayType.StatusCode);
    }

    [Fact]
    public async Task Policy_calendar_schedules_and_blackouts_round_trip()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var admin = await edge.ClientAsync(Scopes.Configure);
        var policy = new BuildingPolicy { DailyLimit = 5, Cooldown = TimeSpan.FromMinutes(10), BuildingCap = 40 };
        var calendar = await (await admin.GetAsync("/api/config/calendar", Ct)).ReadAsync<CalendarDto>();
        var snowDay = calendar with { Overrides = [.. calendar.Overrides, new CalendarOverrideDto(new DateOnly(2026, 12, 14), null)] };
        var blackout = new BlackoutDto("state-test", new DateOnly(2026, 12, 2), BlackoutKind.Testing, Period: "3");

        using var savedPolicy = await admin.PutJsonAsync("/api/config/policy", policy);
        using var savedCalendar = await admin.PutJsonAsync("/api/config/calendar", snowDay);
        using var savedBlackout = await admin.PutJsonAsync("/api/config/blackouts/state-test", blackout);
        var readPolicy = await (await admin.GetAsync("/api/config/policy", Ct)).ReadAsync<BuildingPolicy>();
        var readCalendar = await (await admin.GetAsync("/api/config/calendar", Ct)).ReadAsync<CalendarDto>();
        var blackouts = await (await admin.GetAsync("/api/config/blackouts", Ct)).ReadAsync<List<BlackoutDto>>();
        var schedules = await (await admin.GetAsync("/api/config/bell-schedules", Ct)).ReadAsync<List<BellScheduleDto>>();
        using var removed = await admin.DeleteAsync("/api/config/blackouts/state-test", Ct);
        using var removedAgain = await admin.DeleteAsync("/api/config/blackouts/state-test", Ct);

        Assert.Equal(HttpStatusCode.OK, savedPolicy.StatusCode);
        Assert.Equal(policy, readPolicy);
        Assert.Equal(HttpStatusCode.OK, savedCalendar.StatusCode);
        Assert.Contains(new CalendarOverrideDto(new DateOnly(2026, 12, 14), null), readCalendar.Overrides);
        Assert.Equal(HttpStatusCode.OK, savedBlackout.StatusCode);
        Assert.Equal(blackout, Assert.Single(blackouts));
        Assert.Contains(schedules, s => s.DayType == "regular" && s.Periods.Count > 0);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, removedAgain.StatusCode);
    }

    [Fact]
    public async Task Encounter_groups_and_the_blocked_attempt_log_need_the_encounters_scope()
    {
        using var edge = await new EdgeHost().StartedAsync();
        using var admin = await edge.ClientAsync(Scopes.Configure);
        using var counselor = await edge.ClientAsync(Scopes.Encounters, Scopes.Configure);
        var students = edge.PlainStudents();
        var group = new EncounterGroupDto("keep-apart", [students[0].Id.Value, students[1].Id.Value], Note: "Counselor Ruiz");

        using var refused = await admin.GetAsync("/api/config/encounter-groups", Ct);
        using var refusedLog = await admin.GetAsync("/api/encounters/blocked-attempts", Ct);
        using var saved = await counselor.PutJsonAsync("/api/config/encounter-groups/keep-apart", group);
        await edge.KioskRequestAsync(students[0], "locker");
        var blocked = await edge.KioskRequestAsync(students[1], "locker");
        var groups = await (await counselor.GetAsync("/api/config/encounter-groups", Ct)).ReadAsync<List<EncounterGroupDto>>();
        var log = await (await counselor.GetAsync($"/api/encounters/blocked-attempts?student={students[1].Id.Value}", Ct)).ReadAsync<Edge.Api.Page<BlockedAttemptDto>>();
        using var oneMember = await counselor.PutJsonAsync("/api/config/encounter-groups/solo", group with { Id = "solo", Members = [students[0].Id.Value] });
        using var removed = await counselor.DeleteAsync("/api/config/encounter-groups/keep-apart", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refusedLog.StatusCode);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(ReasonCode.EncounterBlocked, blocked.Reason);
        Assert.Contains(groups, g => g.Id == "keep-apart" && g.Members.SequenceEqual(group.Members));
        var attempt = Assert.Single(log.Items);
        Assert.Equal((students[1].Id.Value, "keep-apart", students[0].Id.Value), (attempt.StudentId, attempt.GroupId, attempt.OtherStudentId));
        Assert.Equal(HttpStatusCode.BadRequest, oneMember.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
    }
}
