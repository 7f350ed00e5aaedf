using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Vigil.Agent.Shipping;

/// <summary>
/// Ships agent events to Ingest without losing them: producers hand events to <see cref="TryEnqueue"/>
/// (never blocks; a full queue refuses and counts), a batcher closes batches by size or age, gives each
/// a batch id and writes it to the <see cref="BatchSpool"/> on disk, and a sender posts spooled batches
/// oldest first, retrying with exponential backoff and jitter (or the server's Retry-After) until
/// Ingest has them. A 4xx other than 429/408 is permanent: the batch is logged, counted and dropped.
/// Whatever was lost is reported in the next batch that reaches the spool: its events carry
/// <c>"vigil": {"data_dropped": true}</c> and a <c>lost_events</c> event with the counts rides along.
/// <see cref="StopAsync"/> spools what is queued and sends for up to <see cref="ShipperOptions.FlushTimeout"/>;
/// the rest waits in the spool for the next start.
/// </summary>
public sealed class EventShipper : IAsyncDisposable
{
    private readonly ShipperOptions _options;
    private readonly AgentSettings _settings;
    private readonly IntakeClient _intake;
    private readonly TextWriter _log;
    private readonly Channel<JsonObject> _queue;
    private readonly SemaphoreSlim _spooled = new(0);
    private readonly CancellationTokenSource _stopSending = new();
    private readonly BatchSpool _spool;
    private readonly BatchEncoder _encoder;
    private Task? _batching, _sending;
    private int _stopped;

    public EventShipper(ShipperOptions options, AgentSettings settings, HttpClient http, TextWriter log, ShipperCounters? counters = null)
    {
        options.Validate();
        _options = options;
        _settings = settings;
        _intake = new IntakeClient(http, settings);
        _log = log;
        Counters = counters ?? new ShipperCounters();
        _queue = Channel.CreateBounded<JsonObject>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, SingleReader = true,
        });
        _spool = new BatchSpool(options.SpoolDirectory, options.SpoolMaxBytes, options.Fsync);
        _encoder = new BatchEncoder(settings, options.MaxBatchBytes);
        UpdateSpoolCounters();
    }

    public ShipperCounters Counters { get; }

    /// <summary>A one-line state for <c>status</c> and the heartbeat.</summary>
    public string Status => $"shipping: {Counters.Sent} sent, {Counters.Dropped} dropped, spool {_spool.Count} batches / {_spool.Bytes} bytes";

    /// <summary>Starts batching and sending (batches a previous run left in the spool go first).</summary>
    public void Start()
    {
        if (_batching is not null)
            throw new InvalidOperationException("The shipper is already started.");
        _batching = Task.Run(BatchLoopAsync);
        _sending = Task.Run(() => SendLoopAsync(_stopSending.Token));
        if (_spool.Count > 0)
            _spooled.Release();
    }

    /// <summary>Hands an event over (the shipper owns it from now on). False when the queue is full: counted as dropped.</summary>
    public bool TryEnqueue(JsonObject agentEvent)
    {
        if (_queue.Writer.TryWrite(agentEvent))
        {
            Counters.AddEnqueued();
            return true;
        }
        Counters.AddQueueDropped();
        _encoder.RecordLoss(1);
        return false;
    }

    /// <summary>Spools everything queued, then sends for up to FlushTimeout; unsent batches stay on disk.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1 || _batching is null)
            return;
        _queue.Writer.TryComplete();
        await _batching;
        _stopSending.CancelAfter(_options.FlushTimeout);
        _spooled.Release(); // wake the sender so it notices an empty spool and ends
        await _sending!;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stopSending.Dispose();
        _spooled.Dispose();
    }

    private async Task BatchLoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<JsonObject>(_options.MaxBatchEvents);
        while (await reader.WaitToReadAsync())
        {
            // The first event opens a batch; it closes when full or MaxBatchDelay after that first event.
            using var age = new CancellationTokenSource(_options.MaxBatchDelay);
            try
            {
                while (batch.Count < _options.MaxBatchEvents)
                {
                    while (batch.Count < _options.MaxBatchEvents && reader.TryRead(out var evt))
                        batch.Add(evt);
                    if (batch.Count < _options.MaxBatchEvents && !await reader.WaitToReadAsync(age.Token))
                        break; // queue completed (stopping)
                }
            }
            catch (OperationCanceledException) when (age.IsCancellationRequested)
            {
            }
            SpoolEvents(batch);
            batch.Clear();
        }
        SpoolEvents(batch);
    }

    /// <summary>Encodes the events into one or more batches (by byte size) and writes them to the spool.</summary>
    private void SpoolEvents(List<JsonObject> events)
    {
        var handled = 0;
        try
        {
            SpoolEncoded(events, ref handled);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // An event that cannot be serialized must not stop the batcher: its batch is counted as dropped.
            _log.WriteLine($"vigil-agent: cannot encode a batch ({e.GetType().Name}); {events.Count - handled} events dropped");
            Counters.AddSpoolDropped(events.Count - handled);
            _encoder.RecordLoss(events.Count - handled);
        }
    }

    private void SpoolEncoded(List<JsonObject> events, ref int handled)
    {
        foreach (var encoded in _encoder.Encode(events))
        {
            handled += encoded.ShippedEvents;
            bool written;
            try
            {
                written = _spool.TryAppend(encoded.BatchId, encoded.EventCount, encoded.Body);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _log.WriteLine($"vigil-agent: cannot write batch {encoded.BatchId} to the spool ({e.Message}); {encoded.ShippedEvents} events dropped");
                written = false;
            }
            if (written)
            {
                _encoder.LossReported(encoded.ReportedLoss);
                UpdateSpoolCounters();
                _spooled.Release();
                continue;
            }
            Counters.AddSpoolDropped(encoded.ShippedEvents);
            _encoder.RecordLoss(encoded.ShippedEvents);
        }
    }

    private async Task SendLoopAsync(CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            var next = _spool.Oldest();
            if (next is null)
            {
                if (Volatile.Read(ref _stopped) == 1 && _batching!.IsCompleted)
                    return; // flushed
                try
                {
                    await _spooled.WaitAsync(stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }

            IntakeAnswer answer;
            try
            {
                answer = await _intake.SendDetailedAsync(_spool.Read(next), stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return; // stays spooled for the next start
            }
            catch (IOException e)
            {
                _log.WriteLine($"vigil-agent: spooled batch {next.BatchId} is unreadable ({e.Message}); {next.EventCount} events dropped");
                Forget(next, rejected: true);
                continue;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                answer = new IntakeAnswer(ShipResult.RetryLater, 0, null, e.GetType().Name); // unexpected: retry, keep the batch
            }

            switch (answer.Result)
            {
                case ShipResult.Accepted or ShipResult.Duplicate:
                    Counters.AddSent(next.EventCount, duplicate: answer.Result == ShipResult.Duplicate);
                    Forget(next, rejected: false);
                    failures = 0;
                    break;
                case ShipResult.Rejected:
                    _log.WriteLine($"vigil-agent: batch {next.BatchId} refused by ingest ({answer.Error}); {next.EventCount} events dropped");
                    Forget(next, rejected: true);
                    break;
                default:
                    Counters.AddRetry();
                    var wait = answer.RetryAfter is { } retryAfter
                        ? TimeSpan.FromTicks(Math.Min(retryAfter.Ticks, _options.MaxRetryAfter.Ticks))
                        : Backoff.Delay(failures, _options.InitialBackoff, _options.MaxBackoff);
                    failures++;
                    _log.WriteLine($"vigil-agent: ingest unavailable ({answer.Error}); batch {next.BatchId} retried in {wait.TotalSeconds:0.0} s");
                    try
                    {
                        await Task.Delay(wait, stop);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                    break;
            }
        }
    }

    private void Forget(SpooledBatch batch, bool rejected)
    {
        _spool.Remove(batch);
        if (rejected)
        {
            Counters.AddRejected(batch.EventCount);
            _encoder.RecordLoss(batch.EventCount);
        }
        UpdateSpoolCounters();
    }

    private void UpdateSpoolCounters()
    {
        Counters.SpoolBytes = _spool.Bytes;
        Counters.SpoolBatches = _spool.Count;
    }
}
