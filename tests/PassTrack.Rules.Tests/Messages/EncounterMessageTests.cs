using PassTrack.Rules.Encounters;
using PassTrack.Rules.Summons;
using static PassTrack.Rules.Tests.TestSchool;

namespace PassTrack.Rules.Tests.Messages;

public class EncounterMessageTests
{
    private static readonly string[] GenericEnglish = ["You can't start a", "pass right now.", "Please see your", "teacher."];

    private static TestSchool WithGroups() => new(c => c with
    {
        EncounterGroups =
        [
            new EncounterGroup(new EncounterGroupId("ana-dev"), [Ana, Dev], Note: "fight in October"),
            new EncounterGroup(new EncounterGroupId("fay-sofia"), [Fay, Sofia]),
        ],
    });

    [Fact]
    public void The_encounter_message_is_the_same_whatever_the_names_destination_or_details()
    {
        var variants = new[]
        {
            new Decision(Outcome.Refused, ReasonCode.EncounterBlocked),
            new Decision(Outcome.Refused, ReasonCode.EncounterBlocked)
            {
                Names = new MessageNames("Ana", "Ana García", "Restroom A", "Baño A", "Room A101"),
                Destination = RestroomA,
                Student = Ana,
            },
            new Decision(Outcome.Refused, ReasonCode.EncounterBlocked)
            {
                Names = new MessageNames("Sofía", "Sofía Ramírez", "Counselor", "Consejería", "Room B201"),
                Language = Language.Spanish,
                Destination = Counselor,
                Wait = TimeSpan.FromMinutes(7),
                QueuePosition = 3,
            },
        };

        Assert.All(variants, d => Assert.Equal(GenericEnglish, d.StudentMessage.English));
        Assert.All(variants, d => Assert.Equal(variants[0].StudentMessage.Spanish, d.StudentMessage.Spanish));
    }

    [Fact]
    public void A_request_a_queue_claim_and_a_summons_blocked_by_an_encounter_group_all_read_the_same()
    {
        var school = WithGroups().At(9, 10);
        Assert.True(school.Request(Ben, RestroomA).IsGranted);
        Assert.Equal(Outcome.Queued, school.Request(Ana, RestroomA).Outcome);
        Assert.True(school.Request(Dev, Water).IsGranted);
        Assert.True(school.Request(Fay, Office).IsGranted);
        school.Handle(new Summon([Sofia], new SummonsTarget(DestinationKind.Nurse), SummonsPriority.Urgent, school.Now, CounselorStaff));
        school.Clock.Advance(TimeSpan.FromMinutes(2));
        school.Tap(Ben, KioskA101);

        var claim = school.Tap(Ana, KioskA101);
        var request = school.Request(Eli, Library);
        var summons = school.Tap(Sofia, KioskB201);
        var otherRequest = school.Request(Sofia, Nurse);

        var blocked = new[] { claim, summons, otherRequest };
        Assert.True(request.IsGranted);
        Assert.All(blocked, d => Assert.Equal(Outcome.Refused, d.Outcome));
        Assert.All(blocked, d => Assert.Equal(ReasonCode.EncounterBlocked, d.Reason));
        Assert.All(blocked, d => Assert.Equal(GenericEnglish, d.StudentMessage.English));
        Assert.All(blocked, d => Assert.Equal(claim.StudentMessage.Spanish, d.StudentMessage.Spanish));
        Assert.Equal(3, school.EventsOf<EncounterAttemptBlocked>().Count());
    }

    [Fact]
    public void Staff_are_told_the_request_was_blocked_but_not_by_whom()
    {
        var school = WithGroups().At(9, 10);
        school.Request(Dev, RestroomA);

        var blocked = school.Request(Ana, Water);

        Assert.Equal(ReasonCode.EncounterBlocked, blocked.Reason);
        Assert.Contains("Ana García", blocked.StaffExplanation, StringComparison.Ordinal);
        Assert.Contains("blocked by a building rule", blocked.StaffExplanation, StringComparison.Ordinal);
        Assert.DoesNotContain("Dev", blocked.StaffExplanation, StringComparison.Ordinal);
        Assert.DoesNotContain("Patel", blocked.StaffExplanation, StringComparison.Ordinal);
        Assert.DoesNotContain("ana-dev", blocked.StaffExplanation, StringComparison.Ordinal);
        Assert.DoesNotContain("October", blocked.StaffExplanation, StringComparison.Ordinal);
    }
}
