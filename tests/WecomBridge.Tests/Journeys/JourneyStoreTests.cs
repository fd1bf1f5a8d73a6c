using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using WecomBridge.Journeys.Runtime;
using WecomBridge.Pool.Schema;
using WecomBridge.Tests.Pool;

namespace WecomBridge.Tests.Journeys;

/// <summary>The journey store's contract against a real PostgreSQL, in a fresh database migrated as the app does at start.</summary>
public sealed class PostgresJourneyStoreTests : JourneyStoreContract
{
    private PoolDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;

    internal override async Task<IJourneyStore> CreateStoreAsync()
    {
        _database = await PoolDatabase.CreateAsync();
        await new PoolSchema(_database.ConnectionString, NullLogger<PoolSchema>.Instance).MigrateAsync(CancellationToken.None);
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        return new PostgresJourneyStore(_dataSource);
    }

    [Fact]
    public async Task Every_change_writes_its_event_to_the_outbox_in_its_transaction()
    {
        var store = new PostgresJourneyStore(_dataSource);
        var e = new Enrolment(Guid.CreateVersion7(), "acme", "welcome", 1, "wmX", null, "ev", T0);
        await store.EnrolAsync(e, "enrolCall", new NextStep(0, "s0", T0));
        await store.ExitAsync(e.Id, "exitCall", T0);
        Assert.Equal(2L, await _database.ScalarAsync<long>(
            "SELECT count(*) FROM pool.outbox WHERE type IN ('WecomBridge.Contracts.Journeys.JourneyEnrolled', 'WecomBridge.Contracts.Journeys.JourneyExited')"));
    }

    public override async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }
}

public sealed class InMemoryJourneyStoreTests : JourneyStoreContract
{
    internal override Task<IJourneyStore> CreateStoreAsync() => Task.FromResult<IJourneyStore>(new InMemoryJourneyStore());
}
