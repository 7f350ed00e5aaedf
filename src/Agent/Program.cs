using System.Runtime.InteropServices;
using Vigil.Agent.Cli;

// Lives as long as the process: Ctrl+C and SIGTERM stop the agent gracefully. SIGTERM is intercepted (not
// only ProcessExit) so probes are detached and the global audit state is restored before the process exits.
var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
return await AgentCommandLine.RunAsync(args, Console.Out, Console.Error, stop.Token);
