using System.Threading.Channels;

namespace Vigil.Agent.Probes;

/// <summary>
/// A source of kernel events for one domain (process, kernel activity, file, dns). The pipeline
/// starts each probe with the shared bounded channel; a probe that cannot start reports it through
/// <see cref="Status"/> and must never throw out of <see cref="Start"/> or its own threads.
/// </summary>
public interface IProbe : IDisposable
{
    /// <summary>What it watches: <c>process</c>, <c>kernel</c>, <c>file</c>, <c>dns</c> (one status line each).</summary>
    IReadOnlyList<string> Domains { get; }

    /// <summary>Mechanism name for status lines: <c>ebpf</c>, <c>audit</c>, <c>proc_connector</c> …</summary>
    string Name { get; }

    /// <summary>Starts producing into <paramref name="events"/>; returns false (with a status saying why) if it could not start.</summary>
    bool Start(ChannelWriter<KernelEvent> events);

    /// <summary>Stops producing; safe to call more than once.</summary>
    void Stop();

    ProbeStatus Status { get; }
}

public enum ProbeState { NotStarted, Running, Failed, Stopped }

/// <summary>One status line: state, a human detail (why it failed, what it attached), counters.</summary>
public sealed record ProbeStatus(ProbeState State, string Detail, long Events = 0, long Lost = 0)
{
    public override string ToString() =>
        $"{State.ToString().ToLowerInvariant()}: {Detail}{(State == ProbeState.Running || Events > 0 ? $" (events {Events}, lost {Lost})" : "")}";
}
