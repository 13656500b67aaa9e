using System.Text.Json;
using PassTrack.Contracts.Protocol;
using PassTrack.LoadTool.Traffic;

namespace PassTrack.LoadTool.Kiosks;

/// <summary>Turns a student's next step into the protocol message a kiosk sends.</summary>
public static class Messages
{
    public static Request Build(Visit visit, SimKiosk kiosk, string run, long dueTicks, DateTimeOffset now)
    {
        var scanId = kiosk.NextScanId(run);
        if (visit.Purpose == Purpose.Choose)
        {
            var choose = visit.LeaveLine
                ? new ChooseRequest(Protocol.Version, scanId, visit.ForScan!, null, now, LeaveLine: true)
                : new ChooseRequest(Protocol.Version, scanId, visit.ForScan!, visit.Destination!.Id, now, JoinQueue: visit.JoinLine);
            return new Request(scanId, KioskTopic.Choose, JsonSerializer.SerializeToUtf8Bytes(choose, ProtocolJson.Default.ChooseRequest), dueTicks) { Context = visit };
        }
        var scan = new ScanRequest(Protocol.Version, scanId, CredentialType.Card, visit.Student.Card, now);
        return new Request(scanId, KioskTopic.Scan, JsonSerializer.SerializeToUtf8Bytes(scan, ProtocolJson.Default.ScanRequest), dueTicks) { Context = visit };
    }
}
