using Microsoft.Extensions.Options;

namespace WecomBridge.Resync;

/// <summary>Embedded mode: one process. Locks expire like Redis's; finished runs are dropped after ProgressTtl.</summary>
internal sealed class InMemoryResyncStore(TimeProvider time, IOptions<ResyncOptions> options) : IResyncStore
{
    private readonly Dictionary<string, (string Id, DateTimeOffset Expires)> _locks = [];
    private readonly Dictionary<string, (ResyncProgress Run, DateTimeOffset Expires)> _runs = [];
    private readonly Lock _gate = new();

    public Task<string?> TryStartAsync(ResyncProgress run)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_locks.TryGetValue(run.LockKey, out var held) && held.Expires > now) return Task.FromResult<string?>(held.Id);
            _locks[run.LockKey] = (run.Id, now + options.Value.LockTtl);
            Put(run, now);
            return Task.FromResult<string?>(null);
        }
    }

    public Task SaveAsync(ResyncProgress run) => Update(run, finish: false);

    public Task FinishAsync(ResyncProgress run) => Update(run, finish: true);

    public Task<ResyncProgress?> GetAsync(string id)
    {
        lock (_gate)
            return Task.FromResult(_runs.TryGetValue(id, out var entry) && entry.Expires > time.GetUtcNow() ? entry.Run : null);
    }

    private Task Update(ResyncProgress run, bool finish)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            Put(run, now);
            if (_locks.TryGetValue(run.LockKey, out var held) && held.Id == run.Id)
            {
                if (finish) _locks.Remove(run.LockKey);
                else _locks[run.LockKey] = (run.Id, now + options.Value.LockTtl);
            }
        }
        return Task.CompletedTask;
    }

    private void Put(ResyncProgress run, DateTimeOffset now)
    {
        foreach (var expired in _runs.Where(e => e.Value.Expires <= now).Select(e => e.Key).ToList()) _runs.Remove(expired);
        _runs[run.Id] = (run, now + options.Value.ProgressTtl);
    }
}
