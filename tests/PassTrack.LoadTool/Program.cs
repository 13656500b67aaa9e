using PassTrack.LoadTool.Cli;

return await LoadToolMain.RunAsync(args);
