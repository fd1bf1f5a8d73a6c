using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using WecomBridge.Pool;
using WecomBridge.Pool.Schema;
using WecomBridge.Tests.Infrastructure;
using static WecomBridge.Tests.Pool.PoolEvents;

namespace WecomBridge.Tests.Pool;

/// <summary>
/// Erasure and retention against a real PostgreSQL: the contract, one pass at a time across instances, the scheduled
/// pass on a fake clock, and an erasure racing the events of its corp.
/// </summary>
public sealed class PostgresPoolPrivacyTests : PoolPrivacyContract
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

    [Fact]
    public async Task A_second_instance_skips_the_pass_while_one_runs_it()
    {
        await using var other = await _dataSource.OpenConnectionAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(x'57425052554E4531'::bigint)", other))
            await take.ExecuteNonQueryAsync();

        Assert.Null(await Store.PruneAsync(new PoolCutoffs(At(0), At(0), At(0)), 10));

        await using (var release = new NpgsqlCommand("SELECT pg_advisory_unlock(x'57425052554E4531'::bigint)", other))
            await release.ExecuteNonQueryAsync();
        Assert.NotNull(await Store.PruneAsync(new PoolCutoffs(At(0), At(0), At(0)), 10));
    }

    [Fact]
    public async Task The_scheduled_pass_runs_on_the_clock_with_the_configured_retention()
    {
        await ApplyAll(Added("wmGone", "u1", 0), DeletedByEmployee("wmGone", "u1", 1), Subscribed("oGone", 0), Unsubscribed("oGone", 1));
        var clock = new FakeTimeProvider(At(0).AddDays(29));
        var options = new PoolRetentionOptions { Interval = TimeSpan.FromHours(1) };
        var pass = new PoolRetentionPass(Store, new StaticOptions(options), clock, NullLogger<PoolRetentionPass>.Instance);
        Assert.Equal(0, (await pass.RunOnceAsync())!.Contacts); // 29 days after the deletion: kept
        Assert.NotNull(await Store.GetContactAsync(Corp, "wmGone"));

        await pass.StartAsync(CancellationToken.None);
        try
        {
            clock.Advance(TimeSpan.FromDays(1)); // past 30 days: the next tick purges
            await Eventually.True(async () =>
            {
                clock.Advance(options.Interval); // the timer may start after a first advance: each probe moves one interval on
                return await Store.GetContactAsync(Corp, "wmGone") is null && await Store.GetFollowerAsync(Account, "oGone") is null;
            }, what: "the contact and the follower purged");
        }
        finally
        {
            await pass.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task An_erasure_racing_the_events_of_its_corp_leaves_nothing_older_behind()
    {
        var events = Enumerable.Range(0, 40).Select(i => (object)(i % 2 == 0 ? Added("wmRace", $"u{i}", i) : Joined($"chat{i}", i, "wmRace"))).ToList();
        var applying = Task.WhenAll(events.Select(e => Task.Run(() => Apply(e))));
        await Store.EraseAsync(PoolSubject.Contact(Corp, "wmRace"), At(100));
        await applying;

        Assert.Null(await Store.GetContactAsync(Corp, "wmRace"));
        Assert.Equal(0L, await _database.ScalarAsync<long>(
            "SELECT (SELECT count(*) FROM pool.follow_relations) + (SELECT count(*) FROM pool.group_members)"));
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM pool.erasures"));
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM pool.erasures WHERE subject_hash LIKE '%wmRace%'"));
    }

    private sealed class StaticOptions(PoolRetentionOptions value) : IOptionsMonitor<PoolRetentionOptions>
    {
        public PoolRetentionOptions CurrentValue => value;
        public PoolRetentionOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<PoolRetentionOptions, string?> listener) => null;
    }
}
