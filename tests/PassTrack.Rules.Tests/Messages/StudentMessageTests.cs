namespace PassTrack.Rules.Tests.Messages;

public class StudentMessageTests
{
    /// <summary>A destination name of 30 characters, a first name of 25: the longest names schools give us.</summary>
    private static readonly MessageNames LongNamesWithSpaces = new(
        "Maximiliana Alexandrina X",
        "Maximiliana Alexandrina X Montenegro-Villalobos",
        "Health Services Waiting Room B",
        "Servicios de Salud Sala Espera",
        "Room A101 Science Laboratory");

    private static readonly MessageNames LongNamesWithoutSpaces = new(
        new string('N', 25),
        new string('N', 25) + " " + new string('L', 25),
        new string('D', 30),
        new string('E', 30),
        new string('R', 30));

    private static Decision Rendered(Outcome outcome, ReasonCode reason, MessageNames names, Language language = Language.English) =>
        new(outcome, reason)
        {
            Names = names,
            Language = language,
            QueuePosition = 12,
            TimeLimit = TimeSpan.FromMinutes(120),
            Wait = TimeSpan.FromMinutes(119) + TimeSpan.FromSeconds(59),
            Pass = new PassId(1),
            Student = new StudentId("long"),
            Destination = new DestinationId("long"),
        };

    private static IEnumerable<(Outcome Outcome, ReasonCode Reason)> EveryCombination() =>
        from outcome in Enum.GetValues<Outcome>()
        from reason in Enum.GetValues<ReasonCode>()
        select (outcome, reason);

    public static TheoryData<string> NameSets => ["with spaces", "without spaces"];

    private static MessageNames Names(string set) => set == "with spaces" ? LongNamesWithSpaces : LongNamesWithoutSpaces;

    [Theory]
    [MemberData(nameof(NameSets))]
    public void Every_outcome_and_reason_fits_a_20_by_4_display_in_english_and_spanish(string nameSet)
    {
        var failures = new List<string>();
        foreach (var (outcome, reason) in EveryCombination())
        {
            var message = Rendered(outcome, reason, Names(nameSet)).StudentMessage;
            foreach (var (language, lines) in new[] { ("en", message.English), ("es", message.Spanish) })
            {
                if (lines.Count is < 1 or > StudentMessage.Rows)
                {
                    failures.Add($"{outcome}/{reason} {language}: {lines.Count} lines");
                }
                failures.AddRange(lines.Where(l => l.Length > StudentMessage.Columns).Select(l => $"{outcome}/{reason} {language}: \"{l}\" is {l.Length} characters"));
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void The_long_names_used_are_as_long_as_the_display_promises_to_handle()
    {
        Assert.Equal(30, LongNamesWithSpaces.Destination.Length);
        Assert.Equal(30, LongNamesWithSpaces.DestinationSpanish.Length);
        Assert.Equal(25, LongNamesWithSpaces.StudentFirstName.Length);
        Assert.Equal(30, LongNamesWithoutSpaces.Destination.Length);
        Assert.Equal(25, LongNamesWithoutSpaces.StudentFirstName.Length);
    }

    [Fact]
    public void Every_outcome_and_reason_has_spanish_text_that_differs_from_the_english()
    {
        // The same name in both languages, so only the words around it can tell the two apart.
        var names = new MessageNames("Ana", "Ana García", "Nurse", "Nurse", "Room A101");
        var failures = EveryCombination()
            .Select(c => (c, Rendered(c.Outcome, c.Reason, names).StudentMessage))
            .Where(x => x.StudentMessage.English.SequenceEqual(x.StudentMessage.Spanish))
            .Select(x => $"{x.c.Outcome}/{x.c.Reason}: {string.Join(" | ", x.StudentMessage.English)}")
            .ToList();

        Assert.Empty(failures);
    }

    [Fact]
    public void Every_outcome_and_reason_has_a_staff_explanation()
    {
        var failures = EveryCombination()
            .Where(c => string.IsNullOrWhiteSpace(Rendered(c.Outcome, c.Reason, LongNamesWithSpaces).StaffExplanation)
                || string.IsNullOrWhiteSpace(new Decision(c.Outcome, c.Reason).StaffExplanation))
            .Select(c => $"{c.Outcome}/{c.Reason}")
            .ToList();

        Assert.Empty(failures);
    }

    [Fact]
    public void The_message_in_the_students_language_is_the_one_for_that_language()
    {
        var message = Rendered(Outcome.Granted, ReasonCode.Ok, new MessageNames("Sofía", "Sofía Ramírez", "Restroom A", "Baño A", "Room B201"), Language.Spanish).StudentMessage;

        Assert.Equal(new[] { "Pase concedido", "Baño A", "120 minutos" }, message.In(Language.Spanish));
        Assert.Equal(new[] { "Pass granted", "Restroom A", "120 minutes" }, message.In(Language.English));
    }

    [Fact]
    public void A_queued_message_keeps_a_two_digit_position_with_a_long_destination_name()
    {
        var message = Rendered(Outcome.Queued, ReasonCode.DestinationFull, LongNamesWithSpaces).StudentMessage;

        Assert.Contains("you are #12", message.English);
        Assert.Contains("eres el #12", message.Spanish);
    }

    [Fact]
    public void A_long_first_name_is_shortened_in_the_greeting()
    {
        var message = Rendered(Outcome.Identified, ReasonCode.Ok, LongNamesWithSpaces).StudentMessage;

        Assert.Equal("Hi Maximiliana A.", message.English[0]);
        Assert.Equal("Hola Maximiliana A.", message.Spanish[0]);
    }

    [Fact]
    public void A_long_destination_name_is_shortened_with_a_full_stop()
    {
        var message = Rendered(Outcome.Granted, ReasonCode.Ok, LongNamesWithSpaces).StudentMessage;

        Assert.Equal(new[] { "Pass granted", "Health Services Wai.", "120 minutes" }, message.English);
        Assert.Equal(new[] { "Pase concedido", "Servicios de Salud .", "120 minutos" }, message.Spanish);
    }
}
