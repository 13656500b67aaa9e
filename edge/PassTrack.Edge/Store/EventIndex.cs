using PassTrack.Rules;
using PassTrack.Rules.Emergencies;
using PassTrack.Rules.Encounters;
using PassTrack.Rules.Passes;
using PassTrack.Rules.Queues;
using PassTrack.Rules.Summons;

namespace PassTrack.Edge.Store;

/// <summary>The student and pass an event concerns, stored beside it so history queries use an index.</summary>
internal static class EventIndex
{
    public static string? StudentOf(BuildingEvent e) => e switch
    {
        PassCreated x => x.Student.Value,
        PassOverdue x => x.Student.Value,
        RequestRefused x => x.Student?.Value,
        TardyRecorded x => x.Student.Value,
        EncounterAttemptBlocked x => x.Student.Value,
        StudentAccountedFor x => x.Student.Value,
        StudentSummoned x => x.Student.Value,
        _ => null,
    };

    public static long? PassOf(BuildingEvent e) => e switch
    {
        PassCreated x => x.Pass.Value,
        PassTransitioned x => x.Pass.Value,
        PassOverdue x => x.Pass.Value,
        PassArrival x => x.Pass.Value,
        QueueOfferMade x => x.Pass.Value,
        PassRerouted x => x.Pass.Value,
        SummonsClosed x => x.Pass?.Value,
        _ => null,
    };
}
