namespace Vigil.Agent.Shipping;

/// <summary>Exponential backoff with "equal jitter": half the exponential delay fixed, half random.</summary>
public static class Backoff
{
    public static TimeSpan Delay(int failures, TimeSpan initial, TimeSpan max)
    {
        var exponential = initial.TotalMilliseconds * Math.Pow(2, Math.Min(failures, 30));
        var capped = Math.Min(exponential, max.TotalMilliseconds);
        // Jitter keeps a fleet of agents from retrying in lock-step after an outage.
        return TimeSpan.FromMilliseconds(capped / 2 + Random.Shared.NextDouble() * capped / 2);
    }
}
