using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using WecomBridge.Journeys;
using WecomBridge.Journeys.Definitions;
using WecomBridge.Pool.Schema;
using WecomBridge.Tests.Pool;

namespace WecomBridge.Tests.Journeys.Definitions;

/// <summary>The definition store contract against a real PostgreSQL, in a fresh database migrated as the app does at start.</summary>
public sealed class PostgresJourneyDefinitionStoreTests : JourneyDefinitionStoreContract
{
    private PoolDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;

    internal override async Task<IJourneyDefinitionStore> CreateStoreAsync()
    {
        _database = await PoolDatabase.CreateAsync();
        await new PoolSchema(_database.ConnectionString, NullLogger<PoolSchema>.Instance).MigrateAsync(CancellationToken.None);
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        return new PostgresJourneyDefinitionStore(_dataSource, Time);
    }

    public override async Task DisposeAsync()
    {
        Assert.Equal(2L, await _database.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'journeys' AND tablename LIKE 'definition%'"));
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }
}
