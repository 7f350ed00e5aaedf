using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Vigil.Benchmarks.Pipeline;

/// <summary>
/// Counts the consumer's retried and faulted deliveries (MassTransit's R-RETRY / R-FAULT logs) by exception type, so a run can say how
/// much of its time went to optimistic-concurrency conflicts; the warnings themselves stay off the console.
/// </summary>
public sealed class ConsumerRetries : ILoggerProvider
{
    private static readonly ConcurrentDictionary<string, long> Counts = new(StringComparer.Ordinal);

    public static long Total => Counts.Values.Sum();

    /// <summary>Deliveries that exhausted the retries (R-FAULT): the batch went to the error queue, unstored.</summary>
    public static long Faults => Counts.Where(p => p.Key.StartsWith("R-FAULT", StringComparison.Ordinal)).Sum(p => p.Value);

    public static IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(Counts, StringComparer.Ordinal);

    public static string Since(IReadOnlyDictionary<string, long> before)
    {
        var parts = Counts.Select(p => (p.Key, Count: p.Value - before.GetValueOrDefault(p.Key))).Where(p => p.Count > 0)
            .Select(p => $"{p.Count:N0} × {p.Key}").ToList();
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    public ILogger CreateLogger(string categoryName) => new Counter(categoryName);

    public void Dispose() { }

    private sealed class Counter(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && category.StartsWith("MassTransit", StringComparison.Ordinal);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel) || exception is null)
                return;
            var message = formatter(state, exception);
            var kind = message.StartsWith("R-RETRY", StringComparison.Ordinal) ? "retry" : message.Split(' ', 2)[0];
            Counts.AddOrUpdate($"{kind} ({exception.GetType().Name})", 1, (_, n) => n + 1);
        }
    }
}
