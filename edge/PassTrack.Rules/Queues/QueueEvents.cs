namespace PassTrack.Rules.Queues;

/// <summary>A place freed up and is held for this queued pass until <see cref="ClaimBy"/>.</summary>
public sealed record QueueOfferMade(PassId Pass, DestinationId Destination, DateTimeOffset ClaimBy) : BuildingEvent;

/// <summary>A waiting pass was moved to another destination because its own closed.</summary>
public sealed record PassRerouted(PassId Pass, DestinationId From, DestinationId To) : BuildingEvent;
