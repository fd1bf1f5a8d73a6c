using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using WecomBridge.Journeys.Triggers;
using WecomBridge.Pool.Schema;
using WecomBridge.Tests.Pool;

namespace WecomBridge.Tests.Journeys;

/// <summary>The tag ledger's contract: the first delivery's tags are what every later delivery of the event gets, until forgotten.</summary>
public abstract class JourneyTagLedgerContract : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);
    private IJourneyTagLedger _ledger = null!;

    internal abstract Task<IJourneyTagLedger> CreateAsync();

    public async Task InitializeAsync() => _ledger = await CreateAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private static HashSet<string> Tags(params string[] tags) => tags.ToHashSet(StringComparer.Ordinal);

    [Fact]
    public async Task The_first_delivery_s_tags_are_kept_for_its_redeliveries_until_forgotten()
    {
        var id = Guid.NewGuid().ToString("N");

        Assert.Equal(Tags("etA", "etB"), await _ledger.RememberAsync(id, Tags("etA", "etB"), T0));
        Assert.Equal(Tags("etA", "etB"), await _ledger.RememberAsync(id, Tags(), T0)); // redelivered: the pool shows them already
        Assert.Equal(Tags("etA", "etB"), await _ledger.RememberAsync(id, Tags("etC"), T0)); // the first delivery's stand
        Assert.Empty(await _ledger.RememberAsync(Guid.NewGuid().ToString("N"), Tags(), T0));

        await _ledger.ForgetAsync(id);
        await _ledger.ForgetAsync(id);
        Assert.Empty(await _ledger.RememberAsync(id, Tags(), T0));
    }
}

public sealed class InMemoryJourneyTagLedgerTests : JourneyTagLedgerContract
{
    internal override Task<IJourneyTagLedger> CreateAsync() => Task.FromResult<IJourneyTagLedger>(new InMemoryJourneyTagLedger());
}

public sealed class PostgresJourneyTagLedgerTests : JourneyTagLedgerContract
{
    private PoolDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;

    internal override async Task<IJourneyTagLedger> CreateAsync()
    {
        _database = await PoolDatabase.CreateAsync();
        await new PoolSchema(_database.ConnectionString, NullLogger<PoolSchema>.Instance).MigrateAsync(CancellationToken.None);
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        return new PostgresJourneyTagLedger(_dataSource);
    }

    public override async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }
}
