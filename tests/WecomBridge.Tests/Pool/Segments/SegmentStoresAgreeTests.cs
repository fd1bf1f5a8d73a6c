using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using WecomBridge.Pool;
using WecomBridge.Pool.Schema;
using WecomBridge.Pool.Segments;
using static WecomBridge.Tests.Pool.PoolEvents;

namespace WecomBridge.Tests.Pool.Segments;

/// <summary>
/// Random filters (a fixed seed, so a failure repeats) over the same pool in PostgreSQL and in memory: the SQL and the
/// predicate give the same contacts, including under deep not/any/all where a NULL in SQL would differ.
/// </summary>
public sealed class SegmentStoresAgreeTests
{
    private static readonly string[] Leaves =
    [
        """{"tags": {"all": ["vip"]}}""", """{"tags": {"any": ["gold", "x"]}}""", """{"tags": {"none": ["vip"]}}""",
        """{"state": "winter"}""", """{"state": ["summer", "autumn"]}""", """{"followUser": "zhangsan"}""",
        """{"added": {"after": "PT1300M"}}""", """{"added": {"before": "2026-01-10T09:00:00Z"}}""",
        """{"relation": {}}""", """{"relation": {"followUser": "lisi", "state": "spring"}}""",
        """{"stage": "active"}""", """{"stage": ["new", "lost"]}""", """{"lastActive": {"before": "PT20H"}}""",
        """{"lastActive": {"after": "PT23H"}}""", """{"inGroup": true}""", """{"inGroup": "c3"}""",
        """{"oaSubscribed": "brand"}""", """{"burstFlagged": true}""",
    ];

    private static string RandomFilter(Random random, int depth) => (depth < 4 ? random.Next(6) : 5) switch
    {
        0 => $$"""{"not": {{RandomFilter(random, depth + 1)}}}""",
        1 or 2 => $$"""{"{{(random.Next(2) == 0 ? "all" : "any")}}": [{{string.Join(", ",
            Enumerable.Range(0, random.Next(1, 4)).Select(_ => RandomFilter(random, depth + 1)))}}]}""",
        _ => Leaves[random.Next(Leaves.Length)],
    };

    [Fact]
    public async Task Random_filters_give_the_same_contacts_in_PostgreSQL_and_in_memory()
    {
        await using var database = await PoolDatabase.CreateAsync();
        await new PoolSchema(database.ConnectionString, NullLogger<PoolSchema>.Instance).MigrateAsync(CancellationToken.None);
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var postgres = new PostgresSegmentStore(dataSource);
        var memory = new InMemoryPoolStore();
        var projection = new PoolProjection(Options.Create(new PoolOptions()));
        IPoolStore[] pools = [new PostgresPoolStore(dataSource), memory];
        foreach (var e in SegmentStoreContract.SmallPool())
            foreach (var pool in pools) await pool.ApplyAsync(PoolProjection.EventId(e), projection.Map(e)!);
        foreach (var (ext, last, stage, burst) in new[] { ("wm01", (DateTimeOffset?)At(600), "active", (DateTimeOffset?)null),
            ("wm03", At(50), "lost", At(10)), ("wm05", At(1000), "active", null) })
        {
            memory.SetActivity(Corp, ext, last, stage, burst);
            await using var update = dataSource.CreateCommand(
                "UPDATE pool.contacts SET last_interaction_at = $1, stage = $2, burst_flagged_at = $3 WHERE external_user_id = $4");
            update.Parameters.Add(new NpgsqlParameter { Value = last!.Value.UtcDateTime });
            update.Parameters.Add(new NpgsqlParameter { Value = stage });
            update.Parameters.Add(new NpgsqlParameter { Value = burst is { } b ? b.UtcDateTime : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
            update.Parameters.Add(new NpgsqlParameter { Value = ext });
            await update.ExecuteNonQueryAsync();
        }

        var random = new Random(18);
        var distinct = new HashSet<string>();
        for (var i = 0; i < 300; i++)
        {
            var json = RandomFilter(random, 0);
            var query = new SegmentQuery(Corp, SegmentStoreContract.Filter(json), At(1440));
            var expected = string.Join(",", (await memory.PageAsync(query, 100, null)).Select(c => c.ExternalUserId));
            Assert.True(expected == string.Join(",", (await postgres.PageAsync(query, 100, null)).Select(c => c.ExternalUserId)), json);
            Assert.Equal(await memory.CountAsync(query), await postgres.CountAsync(query));
            distinct.Add(expected);
        }
        Assert.True(distinct.Count > 20, $"the random filters gave only {distinct.Count} different answers");
    }
}
