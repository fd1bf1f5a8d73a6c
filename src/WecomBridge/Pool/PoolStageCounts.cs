namespace WecomBridge.Pool;

/// <summary>
/// Contacts by corp and lifecycle stage, for the sampled gauge of <see cref="PoolMetrics"/>: counts only, never a
/// contact. Both stores answer it (PostgreSQL through the (corp, stage) index, memory under the store's lock).
/// </summary>
internal interface IPoolStageCounts
{
    Task<IReadOnlyList<StageCount>> CountStagesAsync(CancellationToken ct = default);
}

internal sealed record StageCount(string Corp, string Stage, long Contacts);

internal sealed partial class InMemoryPoolStore : IPoolStageCounts
{
    public Task<IReadOnlyList<StageCount>> CountStagesAsync(CancellationToken ct = default)
    {
        lock (_lock)
        {
            IReadOnlyList<StageCount> counts = [.. _contacts.GroupBy(c => (c.Key.Corp, c.Value.Stage))
                .Select(g => new StageCount(g.Key.Corp, g.Key.Stage, g.LongCount()))];
            return Task.FromResult(counts);
        }
    }
}

internal sealed partial class PostgresPoolStore : IPoolStageCounts
{
    public async Task<IReadOnlyList<StageCount>> CountStagesAsync(CancellationToken ct = default)
    {
        await using var command = dataSource.CreateCommand("SELECT corp, stage, count(*) FROM pool.contacts GROUP BY corp, stage");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var counts = new List<StageCount>();
        while (await reader.ReadAsync(ct)) counts.Add(new StageCount(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        return counts;
    }
}
