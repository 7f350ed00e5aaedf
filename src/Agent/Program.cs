using Vigil.Agent.Cli;

// Lives as long as the process: Ctrl+C and SIGTERM (ProcessExit) stop the agent gracefully.
var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
return await AgentCommandLine.RunAsync(args, Console.Out, Console.Error, stop.Token);
