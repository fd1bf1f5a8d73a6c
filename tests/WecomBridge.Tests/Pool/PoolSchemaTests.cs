using Microsoft.Extensions.Logging.Abstractions;
using WecomBridge.Pool.Schema;

namespace WecomBridge.Tests.Pool;

/// <summary>The schema is created on an empty database, once, even by instances starting together.</summary>
public sealed class PoolSchemaTests
{
    [Fact]
    public async Task Migrations_apply_on_an_empty_database_once_even_when_several_instances_start_together()
    {
        await using var database = await PoolDatabase.CreateAsync();
        var instances = Enumerable.Range(0, 4)
            .Select(_ => new PoolSchema(database.ConnectionString, NullLogger<PoolSchema>.Instance).MigrateAsync(CancellationToken.None));
        await Task.WhenAll(instances);

        var scripts = await database.ScalarAsync<long>("SELECT count(*) FROM pool.schema_versions");
        Assert.True(scripts >= 1);
        Assert.Equal(10L, await database.ScalarAsync<long>(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'pool' AND table_name <> 'schema_versions'"));

        // A restart finds nothing to do.
        await new PoolSchema(database.ConnectionString, NullLogger<PoolSchema>.Instance).MigrateAsync(CancellationToken.None);
        Assert.Equal(scripts, await database.ScalarAsync<long>("SELECT count(*) FROM pool.schema_versions"));
    }
}
