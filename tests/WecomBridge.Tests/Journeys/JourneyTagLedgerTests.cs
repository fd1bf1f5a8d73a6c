using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using WecomBridge.JourneyKit;
using WecomBridge.Journeys.Triggers;
using WecomBridge.Pool;
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

    [Fact]
    public async Task Events_remembered_before_the_cutoff_are_pruned_oldest_first_at_most_a_batch_at_a_time()
    {
        var old = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid().ToString("N")).ToArray();
        for (var i = 0; i < old.Length; i++) await _ledger.RememberAsync(old[i], Tags("etA"), T0.AddMinutes(i));
        var young = Guid.NewGuid().ToString("N");
        await _ledger.RememberAsync(young, Tags("etB"), T0.AddHours(1));
        var cutoff = T0.AddMinutes(30);

        Assert.Equal(2, await _ledger.PruneAsync(cutoff, 2));
        Assert.Empty(await _ledger.RememberAsync(old[1], Tags(), T0)); // the oldest two went first
        Assert.Equal(Tags("etA"), await _ledger.RememberAsync(old[2], Tags(), T0));
        Assert.Equal(2, await _ledger.PruneAsync(cutoff, 2));
        Assert.Equal(1, await _ledger.PruneAsync(cutoff, 2));
        Assert.Equal(0, await _ledger.PruneAsync(cutoff, 2));

        foreach (var id in old) Assert.Empty(await _ledger.RememberAsync(id, Tags(), T0));
        Assert.Equal(Tags("etB"), await _ledger.RememberAsync(young, Tags(), T0)); // younger than the cutoff: kept
        Assert.Equal(0, await _ledger.PruneAsync(T0.AddHours(1), 10)); // strictly before: an event at the cutoff stays
    }

    [Fact]
    public async Task The_pool_s_retention_pass_prunes_what_is_older_than_the_lifetime_on_its_clock()
    {
        var clock = new FakeTimeProvider(T0);
        var older = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid().ToString("N")).ToArray();
        foreach (var id in older) await _ledger.RememberAsync(id, Tags("etA"), clock.GetUtcNow());
        clock.Advance(TimeSpan.FromDays(6));
        var younger = Guid.NewGuid().ToString("N");
        await _ledger.RememberAsync(younger, Tags("etB"), clock.GetUtcNow());
        var pruning = new PendingTagPruning(_ledger, new StaticMonitor<PendingTagOptions>(new PendingTagOptions()),
            NullLogger<PendingTagPruning>.Instance);
        var retention = new PoolRetentionOptions { BatchSize = 2 };
        var pass = new PoolRetentionPass(new InMemoryPoolStore(time: clock), new StaticMonitor<PoolRetentionOptions>(retention), clock,
            NullLogger<PoolRetentionPass>.Instance, pruning);

        await pass.RunOnceAsync(); // 6 days: the default lifetime (7 days) keeps all
        Assert.Equal(Tags("etA"), await _ledger.RememberAsync(older[0], Tags(), clock.GetUtcNow()));

        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        await pass.RunOnceAsync(); // 5 older than 7 days, in batches of 2 until one comes back short
        foreach (var id in older) Assert.Empty(await _ledger.RememberAsync(id, Tags(), clock.GetUtcNow()));
        Assert.Equal(Tags("etB"), await _ledger.RememberAsync(younger, Tags(), clock.GetUtcNow()));
        Assert.Equal(1, await _ledger.PruneAsync(clock.GetUtcNow(), 10)); // only the younger one was left
    }
}

public sealed class PendingTagOptionsTests
{
    [Fact]
    public void A_lifetime_out_of_bounds_is_named_and_the_default_is_a_week()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "WecomBridge.sln"))) root = Path.GetDirectoryName(root)!;
        var config = new ConfigurationBuilder().AddJsonFile(Path.Combine(root, "appsettings.example.json")).Build();
        var example = config.GetSection(PendingTagOptions.Section).Get<PendingTagOptions>()!;
        Assert.Equal(TimeSpan.FromDays(7), example.PendingTagLifetime);
        Assert.True(new PendingTagOptionsValidator().Validate(null, example).Succeeded);
        Assert.Equal(TimeSpan.FromDays(7), new PendingTagOptions().PendingTagLifetime);
        Assert.True(new PendingTagOptionsValidator().Validate(null, new PendingTagOptions()).Succeeded);
        foreach (var bad in new[] { TimeSpan.Zero, TimeSpan.FromMinutes(59), TimeSpan.FromDays(366) })
        {
            var result = new PendingTagOptionsValidator().Validate(null, new PendingTagOptions { PendingTagLifetime = bad });
            Assert.Contains("Journeys:PendingTagLifetime", result.FailureMessage);
        }
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
