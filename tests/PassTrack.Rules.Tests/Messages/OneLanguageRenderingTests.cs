namespace PassTrack.Rules.Tests.Messages;

public class OneLanguageRenderingTests
{
    [Fact]
    public void Rendering_one_language_gives_exactly_that_language_of_the_full_message()
    {
        var names = new MessageNames("Valentina", "Valentina García", "Restroom A North", "Baño A Norte", "Room A101");
        foreach (var outcome in Enum.GetValues<Outcome>())
        {
            foreach (var reason in Enum.GetValues<ReasonCode>())
            {
                foreach (var language in Enum.GetValues<Language>())
                {
                    var alone = new Decision(outcome, reason) { Names = names, QueuePosition = 3, TimeLimit = TimeSpan.FromMinutes(8), Wait = TimeSpan.FromMinutes(4) }.MessageIn(language);
                    var both = new Decision(outcome, reason) { Names = names, QueuePosition = 3, TimeLimit = TimeSpan.FromMinutes(8), Wait = TimeSpan.FromMinutes(4) }.StudentMessage.In(language);
                    Assert.Equal(both, alone);
                }
            }
        }
    }
}
