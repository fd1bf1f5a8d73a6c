using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using WecomBridge.Pool;
using WecomBridge.Pool.Schema;
using WecomBridge.Pool.Segments;

namespace WecomBridge.Tests.Pool.Segments;

/// <summary>The segment contract against a real PostgreSQL, in a fresh database migrated as the app does at start.</summary>
public sealed class PostgresSegmentStoreTests : SegmentStoreContract
{
    private PoolDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;

    internal override async Task<(IPoolStore Pool, ISegmentStore Segments)> CreateStoresAsync()
    {
        _database = await PoolDatabase.CreateAsync();
        await new PoolSchema(_database.ConnectionString, NullLogger<PoolSchema>.Instance).MigrateAsync(CancellationToken.None);
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        return (new PostgresPoolStore(_dataSource), new PostgresSegmentStore(_dataSource));
    }

    internal override async Task SetActivityAsync(string ext, DateTimeOffset? lastInteractionAt, string stage, DateTimeOffset? burstFlaggedAt)
    {
        await using var command = _dataSource.CreateCommand("""
            UPDATE pool.contacts SET last_interaction_at = @last, stage = @stage, burst_flagged_at = @burst
            WHERE corp = @corp AND external_user_id = @ext
            """);
        command.Parameters.Add(PostgresPoolStore.Parameter("last", new PostgresPoolStore.TimeAt(lastInteractionAt)));
        command.Parameters.Add(PostgresPoolStore.Parameter("burst", new PostgresPoolStore.TimeAt(burstFlaggedAt)));
        command.Parameters.Add(PostgresPoolStore.Parameter("stage", stage));
        command.Parameters.Add(PostgresPoolStore.Parameter("corp", PoolEvents.Corp));
        command.Parameters.Add(PostgresPoolStore.Parameter("ext", ext));
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    public override async Task DisposeAsync()
    {
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'pool' AND tablename = 'contacts'"));
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }
}
