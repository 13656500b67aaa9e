using PassTrack.Walkthrough;

// A school day at the demo high school, decided by the real rules engine.
new SchoolDayScript(Console.Out).Run();
