using Vigil.Agent.Probes;
using Vigil.Agent.Probes.Ebpf;
using Vigil.Agent.Probes.ProcConnector;

namespace Vigil.Agent.Pipeline;

/// <summary>
/// Which process/kernel probe to use. <c>auto</c> tries eBPF, then the proc connector; a forced choice
/// (<c>--probe</c> or VIGIL_PROCESS_PROBE) uses that one only, so fallbacks can be exercised on hosts
/// where eBPF works.
/// </summary>
public static class ProbeSelection
{
    public const string Auto = "auto", Ebpf = "ebpf", ProcConnector = "proc_connector";

    public static readonly string[] Choices = [Auto, Ebpf, ProcConnector];

    /// <summary>Probe factories in the order to try them for a mode.</summary>
    public static IReadOnlyList<Func<IProbe>> Candidates(string mode, EbpfProbeOptions ebpf) => mode switch
    {
        Ebpf => [() => new EbpfProbe(ebpf)],
        ProcConnector => [() => new ProcConnectorProbe()],
        _ => [() => new EbpfProbe(ebpf), () => new ProcConnectorProbe()],
    };

    public static string? Validate(string mode) =>
        Choices.Contains(mode) ? null : $"unknown probe `{mode}` (choose one of {string.Join(", ", Choices)})";
}
