using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using WecomBridge.Journeys.Runtime;
using WecomBridge.Pool;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Pool;

namespace WecomBridge.Tests.Journeys.Views;

/// <summary>
/// A dispatcher (<see cref="ApiApp"/>: key "crm" on corp acme) whose journey store the test registers: memory, or
/// PostgreSQL in a database of its own; none at all for the 503. The journey runner stays off: nothing takes steps
/// behind the test's back.
/// </summary>
internal sealed class JourneyViewsApp : IAsyncDisposable
{
    private readonly PoolDatabase? _database;

    private JourneyViewsApp(PoolDatabase? database, bool store)
    {
        _database = database;
        var settings = new Dictionary<string, string?> { ["Journeys:RunnerEnabled"] = "false" };
        if (database is not null) settings["ConnectionStrings:Postgres"] = database.ConnectionString;
        Api = new ApiApp(settings: settings);
        Factory = Api.Factory.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
        {
            if (!store) services.RemoveAll<IJourneyStore>();
            else if (database is null) services.AddSingleton<IJourneyStore>(new InMemoryJourneyStore());
            else services.AddSingleton<IJourneyStore>(sp => new PostgresJourneyStore(sp.GetRequiredService<NpgsqlDataSource>()));
        }));
    }

    public ApiApp Api { get; }
    public WebApplicationFactory<Program> Factory { get; }
    internal IJourneyStore Store => Factory.Services.GetRequiredService<IJourneyStore>();
    internal IPoolStore Pool => Factory.Services.GetRequiredService<IPoolStore>();

    public static async Task<JourneyViewsApp> StartAsync(bool postgres = false, bool store = true)
    {
        var app = new JourneyViewsApp(postgres ? await PoolDatabase.CreateAsync() : null, store);
        app.Client(); // started: the schema is migrated
        return app;
    }

    public HttpClient Client(string? key = ApiApp.CrmKey)
    {
        var client = Factory.CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Contacts of acme added by zhangsan, in the app's pool, with these corp tags.</summary>
    public async Task AddContactAsync(string ext, params string[] tags)
    {
        var projection = new PoolProjection(Microsoft.Extensions.Options.Options.Create(new PoolOptions()));
        foreach (var e in new object[] { PoolEvents.Added(ext, "zhangsan", 0),
                     PoolEvents.Snapshot(ext, 1, null, null, PoolEvents.Follow("zhangsan", 0, "qr", null, tags)) })
            await Pool.ApplyAsync(PoolProjection.EventId(e), projection.Map(e)!);
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Api.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }
}
