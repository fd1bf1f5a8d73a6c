using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using WecomBridge.Pool;
using WecomBridge.Pool.Activity;
using WecomBridge.Pool.Schema;

namespace WecomBridge.Tests.Pool.Activity;

/// <summary>Activity against a real PostgreSQL, in a fresh database migrated as the app does; plus the pass's lock.</summary>
public sealed class PostgresPoolActivityTests : PoolActivityContract
{
    private PoolDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;

    internal override async Task<IPoolStore> CreateStoreAsync(ActivityRules rules)
    {
        _database = await PoolDatabase.CreateAsync();
        await new PoolSchema(_database.ConnectionString, NullLogger<PoolSchema>.Instance).MigrateAsync(CancellationToken.None);
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        return new PostgresPoolStore(_dataSource, rules);
    }

    public override async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Only_one_instance_runs_the_stage_pass_at_a_time()
    {
        await using var other = await _dataSource.OpenConnectionAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(x'5742535441474531'::bigint)", other))
            await take.ExecuteNonQueryAsync();

        Assert.Null(await Activity.RestageAllAsync(Clock.GetUtcNow(), 10));

        await using (var release = new NpgsqlCommand("SELECT pg_advisory_unlock(x'5742535441474531'::bigint)", other))
            await release.ExecuteNonQueryAsync();
        Assert.Equal(0, await Activity.RestageAllAsync(Clock.GetUtcNow(), 10));
    }
}
