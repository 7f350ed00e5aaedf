using System.Globalization;

namespace Vigil.Benchmarks.Pipeline;

/// <summary>Parameters of one run; every one can be overridden on the command line (<c>--name value</c>).</summary>
public sealed class BenchOptions
{
    public int Events { get; private set; } = 100_000;
    public int BatchSize { get; private set; } = 500;
    public int Senders { get; private set; } = 4;
    public int Hosts { get; private set; } = 16;
    public int NaiveEvents { get; private set; } = 2_000;
    public int CopyConnections { get; private set; } = Environment.ProcessorCount;
    public int Rounds { get; private set; } = 3;
    public int Rate { get; private set; } = 1_000;
    public int DurationSeconds { get; private set; } = 20;
    public int FlushMilliseconds { get; private set; } = 100;
    public int GroupSize { get; private set; } = 10;
    public int StallSeconds { get; private set; } = 30;
    public bool Quick { get; private set; }

    private static readonly string[] Help =
    [
        "Options (defaults in brackets):",
        "  --events N            events of the pipeline and COPY runs [100000]",
        "  --batch-size N        events per batch (pipeline, COPY) [500]",
        "  --senders N           concurrent HTTP senders of the pipeline run [4]",
        "  --hosts N             agent hostnames the events come from [16]",
        "  --naive-events N      events of the one-at-a-time baseline [2000]",
        "  --copy-connections N  concurrent COPY connections of the ceiling [cores]",
        "  --rounds N            ABAB repetitions of COPY / naive / pipeline [3]",
        "  --rate N              detection-latency send rate, events/s [1000]",
        "  --duration S          detection-latency run length, seconds [20]",
        "  --flush-ms N          detection-latency batch interval (agent flush), ms [100]",
        "  --group-size N        detection-latency events per group (one signal each) [10]",
        "  --stall S             give up when nothing is stored for S seconds [30]",
        "  --quick               smoke run: 10000 events, 300 naive, 1 round, 5 s latency run",
    ];

    public static BenchOptions? Parse(string[] args)
    {
        var o = new BenchOptions();
        if (args.Contains("--quick"))
        {
            o.Quick = true;
            o.Events = 10_000;
            o.NaiveEvents = 300;
            o.Rounds = 1;
            o.DurationSeconds = 5;
        }
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "--quick")
                continue;
            if (name is "-h" or "--help")
            {
                foreach (var line in Help)
                    Console.WriteLine(line);
                return null;
            }
            if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value <= 0)
                throw new ArgumentException($"{name} needs a positive whole number (see --help).");
            i++;
            switch (name)
            {
                case "--events": o.Events = value; break;
                case "--batch-size": o.BatchSize = value; break;
                case "--senders": o.Senders = value; break;
                case "--hosts": o.Hosts = value; break;
                case "--naive-events": o.NaiveEvents = value; break;
                case "--copy-connections": o.CopyConnections = value; break;
                case "--rounds": o.Rounds = value; break;
                case "--rate": o.Rate = value; break;
                case "--duration": o.DurationSeconds = value; break;
                case "--flush-ms": o.FlushMilliseconds = value; break;
                case "--group-size": o.GroupSize = value; break;
                case "--stall": o.StallSeconds = value; break;
                default: throw new ArgumentException($"Unknown option {name} (see --help).");
            }
        }
        return o;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"events={Events} batch-size={BatchSize} senders={Senders} hosts={Hosts} naive-events={NaiveEvents} " +
        $"copy-connections={CopyConnections} rounds={Rounds} rate={Rate}/s duration={DurationSeconds}s " +
        $"flush-ms={FlushMilliseconds} group-size={GroupSize}");
}
