using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PassTrack.Contracts.Protocol;
using PassTrack.Dashboard.Access;
using PassTrack.Dashboard.Federation;
using PassTrack.Dashboard.Tests.Federation;
using PassTrack.Edge.Kiosks;
using PassTrack.Edge.Security;
using PassTrack.Edge.Tests.Kiosks;
using PassTrack.Rules;

namespace PassTrack.Dashboard.Tests.Admin;

/// <summary>The admin pages in Chromium: a new kiosk approved into a room from the district, and users made and reset.</summary>
public sealed class AdminPagesTests
{
    private const string EnrollmentToken = "district-enrolment-token-for-the-test";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_kiosk_that_enrols_with_the_token_is_approved_into_a_room_from_the_dashboard()
    {
        await using var linked = await BrowserSite.LinkedAsync("okafor", Roles.Admin, edgeSettings: s => s["Edge:Mqtt:EnrollmentTokenHash"] = SecretHasher.Hash(EnrollmentToken));
        var (site, edge, _, page) = linked;
        await using var kiosk = await TestKiosk.ConnectAsync(edge.MqttPort, "kiosk-new-1", "a-long-device-chosen-secret-1", edge.Services.GetRequiredService<TimeProvider>(),
            o => o.WithUserProperty(Protocol.EnrollmentTokenProperty, Encoding.UTF8.GetBytes(EnrollmentToken).AsMemory()));
        await kiosk.CommandAsync(CommandType.Unapproved);

        await page.GotoAsync(site.Url("/admin/kiosks"));
        var row = page.Locator("tr", new PageLocatorOptions { HasText = "kiosk-new-1" });
        await Assertions.Expect(row).ToContainTextAsync("Pending");

        await row.Locator(".rz-dropdown").ClickAsync();
        await page.Locator(".rz-dropdown-item", new PageLocatorOptions { HasText = "Room A103" }).First.ClickAsync();
        await row.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Approve" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("kiosk-new-1 approved into Room A103");
        await Assertions.Expect(row).ToContainTextAsync("Approved");
        await BrowserSite.ScreenshotAsync(page, "admin-kiosks");

        var registered = await edge.Services.GetRequiredService<KioskRegistry>().FindAsync("kiosk-new-1", Ct);
        Assert.Equal(DeviceStatus.Approved, registered!.Status);
        Assert.Equal("A103", registered.RoomId);
    }

    [Fact]
    public async Task Destinations_are_changed_and_closed_from_the_dashboard_by_the_edge()
    {
        await using var linked = await BrowserSite.LinkedAsync("okafor", Roles.Admin);
        var (site, edge, building, page) = linked;
        await page.GotoAsync(site.Url("/admin/destinations"));

        var library = page.Locator("tr", new PageLocatorOptions { HasText = "Library" }).First;
        await library.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Edit" }).ClickAsync();
        await library.Locator("input[name=capacity]").FillAsync("3");
        await library.Locator("input[name=minutes]").FillAsync("12");
        await library.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Library saved.");
        var saved = await edge.Writer.ReadAsync(b => b.FindDestination(new DestinationId("library")), Ct);
        Assert.Equal(3, saved?.Capacity);
        Assert.Equal(TimeSpan.FromMinutes(12), saved?.TimeLimit);

        await library.Locator(".rz-switch").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Library closed.");
        Assert.False((await edge.Writer.ReadAsync(b => b.FindDestination(new DestinationId("library")), Ct))?.Open);
        // The change comes back through the log: the replica, and so every page, has it.
        var replica = await ReplicaTests.WaitForReplicaAsync(site.District.Services.GetRequiredService<BuildingReplicas>(), building.Id, edge.Writer.LastSequence);
        Assert.False(replica.Read(b => b.FindDestination(new DestinationId("library"))!.Open));
        await BrowserSite.ScreenshotAsync(page, "admin-destinations");
    }

    [Fact]
    public async Task A_students_plan_is_looked_up_and_changed_and_the_lookup_is_audited()
    {
        await using var linked = await BrowserSite.LinkedAsync("okafor", Roles.Admin);
        var (site, edge, building, page) = linked;
        var student = KioskTestSupport.PlainStudents(edge).First(s => s.Profile.Accommodations.Plan is null);
        await page.GotoAsync(site.Url("/admin/students"));

        await page.Locator("input[name=search]").FillAsync(student.Id.Value);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Find" }).ClickAsync();
        await page.Locator("tr", new PageLocatorOptions { HasText = student.Id.Value }).Last.ClickAsync();
        var profile = page.GetByLabel("Profile");
        await Assertions.Expect(profile).ToContainTextAsync($"{student.FirstName} {student.LastName}");
        await profile.Locator("input[name=plan]").FillAsync("504: more time at the nurse");
        await profile.Locator("label", new LocatorLocatorOptions { HasText = "Exempt from capacity" }).ClickAsync();
        await profile.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("profile saved");
        await BrowserSite.ScreenshotAsync(page, "admin-students");

        var saved = await edge.Writer.ReadAsync(b => b.FindStudent(student.Id)!.Profile.Accommodations, Ct);
        Assert.Equal("504: more time at the nurse", saved.Plan);
        Assert.True(saved.ExemptFromCapacity);
        var audit = site.District.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<AccessDb>>();
        await using var db = await audit.CreateDbContextAsync(Ct);
        Assert.True(await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(
            db.Audit, a => a.UserName == "okafor" && a.What == $"student profile, {student.Id.Value}" && a.Students.Any(x => x.StudentId == student.Id.Value), Ct));
    }

    [Fact]
    public async Task A_period_becomes_a_testing_period_and_a_date_a_day_without_school()
    {
        await using var linked = await BrowserSite.LinkedAsync("okafor", Roles.Admin);
        var (site, edge, building, page) = linked;
        await page.GotoAsync(site.Url("/admin/schedule"));

        var regular = await edge.Writer.ReadAsync(b => b.Schedules.First(s => s.DayType == "regular"), Ct);
        var second = regular.Periods[1];
        Assert.True(second.PassesAllowed);
        await page.GetByLabel($"Passes in regular {second.Name}", new PageGetByLabelOptions { Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync($"regular, {second.Name}: testing, no passes");
        Assert.False((await edge.Writer.ReadAsync(b => b.Schedules.First(s => s.DayType == "regular").Periods[1], Ct)).PassesAllowed);

        var calendar = page.GetByLabel("Calendar");
        await calendar.Locator("input[name=date]").FillAsync("2026-12-23");
        await calendar.Locator("input[name=date]").PressAsync("Tab");
        await calendar.Locator(".rz-dropdown").ClickAsync();
        await page.Locator(".rz-dropdown-item", new PageLocatorOptions { HasText = "no school" }).First.ClickAsync();
        await calendar.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Set" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("2026-12-23 is now no school");
        await Assertions.Expect(calendar).ToContainTextAsync("Wed 23 Dec 2026: no school");
        await BrowserSite.ScreenshotAsync(page, "admin-schedule");
        Assert.Null(await edge.Writer.ReadAsync(b => b.Calendar.DayTypeOn(new DateOnly(2026, 12, 23)), Ct));
    }

    [Fact]
    public async Task A_rooms_limit_and_teachers_are_changed_and_a_bad_section_is_refused_with_the_reason()
    {
        await using var linked = await BrowserSite.LinkedAsync("okafor", Roles.Admin);
        var (site, edge, building, page) = linked;
        await page.GotoAsync(site.Url("/admin/rooms"));

        var row = page.Locator("tr", new PageLocatorOptions { HasText = "Room A101" }).First;
        await row.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Edit" }).ClickAsync();
        await row.Locator("input[name=maxOut]").FillAsync("2");
        await row.Locator("input[name=teachers]").FillAsync("s-adams, s-brook");
        await row.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Room A101 saved.");
        var saved = await edge.Writer.ReadAsync(b => b.FindRoom(new RoomId("A101")), Ct);
        Assert.Equal(2, saved?.MaxOut);
        Assert.Equal(["s-adams", "s-brook"], saved!.Teachers);

        // The edge checks what it is sent: a teacher id it cannot take comes back as the reason, and nothing changes.
        await row.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Edit" }).ClickAsync();
        await row.Locator("input[name=teachers]").FillAsync("not an id!");
        await row.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Not saved: teachers");
        Assert.Equal(["s-adams", "s-brook"], (await edge.Writer.ReadAsync(b => b.FindRoom(new RoomId("A101")), Ct))!.Teachers);
        await BrowserSite.ScreenshotAsync(page, "admin-rooms");
    }

    [Fact]
    public async Task An_admin_makes_a_teacher_who_signs_in_with_the_temporary_password_and_cannot_reset_a_superadmin()
    {
        await using var site = await BrowserSite.StartAsync();
        await site.District.RegisterAsync();
        await site.CreateUserAsync("district-it", Roles.Superadmin);
        var password = await site.CreateUserAsync("okafor", Roles.Admin);
        var page = await site.NewPageAsync();
        await site.SignInAsync(page, "okafor", password);
        await page.GotoAsync(site.Url("/admin/users"));
        var superadmin = page.Locator("tr", new PageLocatorOptions { HasText = "district-it" });
        await Assertions.Expect(superadmin).ToContainTextAsync("Superadmin");
        Assert.Equal(0, await superadmin.GetByRole(AriaRole.Button).CountAsync());

        var form = page.GetByLabel("New user");
        await form.Locator("input[name=userName]").FillAsync("lee");
        await form.Locator("input[name=displayName]").FillAsync("Ms lee");
        await form.Locator(".rz-dropdown").First.ClickAsync();
        await page.Locator(".rz-dropdown-item", new PageLocatorOptions { HasText = Roles.Teacher }).First.ClickAsync();
        await form.Locator("input[name=room]").FillAsync("A101");
        await form.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Create" }).ClickAsync();
        var temporary = (await page.Locator(".pt-temporary").TextContentAsync())!.Trim();
        // An admin may not make another admin: the role is not offered.
        await form.Locator(".rz-dropdown").First.ClickAsync();
        await Assertions.Expect(page.Locator(".rz-dropdown-item", new PageLocatorOptions { HasText = Roles.Admin })).ToHaveCountAsync(0);

        var teacher = await site.NewPageAsync();
        await site.SignInAsync(teacher, "lee", temporary);
        await Assertions.Expect(teacher).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/teacher"));
    }
}
