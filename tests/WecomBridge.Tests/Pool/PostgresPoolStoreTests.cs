using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using WecomBridge.Pool;
using WecomBridge.Pool.Schema;

namespace WecomBridge.Tests.Pool;

/// <summary>The pool's contract against a real PostgreSQL, in a fresh database migrated as the app does at start.</summary>
public sealed class PostgresPoolStoreTests : PoolStoreContract
{
    private PoolDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;

    internal override async Task<IPoolStore> CreateStoreAsync()
    {
        _database = await PoolDatabase.CreateAsync();
        await new PoolSchema(_database.ConnectionString, NullLogger<PoolSchema>.Instance).MigrateAsync(CancellationToken.None);
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        return new PostgresPoolStore(_dataSource);
    }

    public override async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }
}
