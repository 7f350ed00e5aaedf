using Vigil.Agent.Probes;
using Vigil.Agent.Probes.Audit;
using Vigil.Agent.Probes.Ebpf;
using Vigil.Agent.Probes.ProcConnector;

namespace Vigil.Agent.Pipeline;

/// <summary>
/// Which process/kernel probe to use. <c>auto</c> tries eBPF, then audit, then the proc connector; a forced choice
/// (<c>--probe</c> or VIGIL_PROCESS_PROBE) uses that one only, so fallbacks can be exercised on hosts
/// where eBPF works.
/// </summary>
public static class ProbeSelection
{
    public const string Auto = "auto", Ebpf = "ebpf", Audit = "audit", ProcConnector = "proc_connector";

    public static readonly string[] Choices = [Auto, Ebpf, Audit, ProcConnector];

    /// <summary>Probe factories in the order to try them for a mode.</summary>
    public static IReadOnlyList<Func<IProbe>> Candidates(string mode, EbpfProbeOptions ebpf) => mode switch
    {
        Ebpf => [() => new EbpfProbe(ebpf)],
        Audit => [() => new AuditProbe()],
        ProcConnector => [() => new ProcConnectorProbe()],
        _ => [() => new EbpfProbe(ebpf), () => new AuditProbe(), () => new ProcConnectorProbe()],
    };

    public static string? Validate(string mode) =>
        Choices.Contains(mode) ? null : $"unknown probe `{mode}` (choose one of {string.Join(", ", Choices)})";
}
