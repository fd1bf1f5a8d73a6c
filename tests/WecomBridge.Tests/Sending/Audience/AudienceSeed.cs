using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using WecomBridge.Fakes;
using WecomBridge.Fakes.Data;
using WecomBridge.Tests.Api;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.Tests.Pool;

namespace WecomBridge.Tests.Sending.Audience;

/// <summary>A contact of a test pool and the members who follow it (added this many days ago).</summary>
public sealed record Seeded(string ExternalUserId, params (string User, int DaysAgo)[] Follows);

/// <summary>Pools for audience tests: the same contacts in PostgreSQL and in the WeCom fake (which checks who follows whom).</summary>
internal static class AudienceSeed
{
    public const string Key = "audience-key-0123456789";

    public static Dictionary<string, string?> Settings(string corp, string? postgres, int pageSize) => new()
    {
        ["ConnectionStrings:Postgres"] = postgres ?? "",
        ["Dispatch:AudiencePageSize"] = pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["SendApi:ApiKeys:0:Name"] = "marketing",
        ["SendApi:ApiKeys:0:KeyHash"] = ApiApp.Hash(Key),
        ["SendApi:ApiKeys:0:Corps:0"] = corp,
    };

    public static HttpClient Client(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> app)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return client;
    }

    public static async Task PostgresAsync(PoolDatabase database, string corp, WeComFake wecom, params Seeded[] contacts)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        foreach (var contact in contacts)
        {
            await Execute(connection, "INSERT INTO pool.contacts (corp, external_user_id, first_seen_at, stage) VALUES (@corp, @ext, now(), 'active')",
                ("corp", corp), ("ext", contact.ExternalUserId));
            foreach (var (user, days) in contact.Follows)
                await Relation(connection, corp, contact.ExternalUserId, user, days);
        }
        Fake(wecom, contacts);
    }

    public static Task Relation(NpgsqlConnection connection, string corp, string ext, string user, int daysAgo) => Execute(connection, """
        INSERT INTO pool.follow_relations (corp, external_user_id, user_id, added_at, state, changed_at, tag_ids)
        VALUES (@corp, @ext, @user, now() - make_interval(days => @days), 'spring', now(), ARRAY['vip'])
        """, ("corp", corp), ("ext", ext), ("user", user), ("days", daysAgo));

    public static void Fake(WeComFake wecom, params Seeded[] contacts)
    {
        foreach (var contact in contacts)
            wecom.Data.ExternalContacts.Add(new ExternalContact
            {
                ExternalUserId = contact.ExternalUserId, FollowUsers = [.. contact.Follows.Select(f => new FollowUser { UserId = f.User })],
            });
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Posts a customer task with this audience; answers its Location.</summary>
    public static async Task<string> PostAsync(HttpClient client, string corp, string audience, string? sender = null)
    {
        var senderPart = sender is null ? "" : $",\"sender\":\"{sender}\"";
        var response = await client.PostAsync("/api/v1/messages", Pool.Segments.SegmentApiTests.Json(
            $$"""{"kind":"customer-task","corp":"{{corp}}","customerTask":{"text":"Spring sale"{{senderPart}},"audience":""" + audience + "}}"));
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return response.Headers.Location!.ToString();
    }

    /// <summary>The message's status once it and its audience's tasks are settled (nothing pending or deferred).</summary>
    public static Task<JsonElement> SettledAsync(HttpClient client, string location) => Eventually.Get(
        async () => await client.GetFromJsonAsync<JsonElement>(location),
        s => s.GetProperty("status").GetString() is "sent" or "failed" or "dropped" or "ambiguous"
            && s.TryGetProperty("audience", out var a) && a.GetProperty("pending").GetInt64() == 0 && a.GetProperty("deferred").GetInt64() == 0,
        TimeSpan.FromSeconds(60), $"{location} settled");

    /// <summary>Each contact WeCom was asked to message, with the member who sent to it, over every task so far.</summary>
    public static List<(string Contact, string Sender)> Sent(WeComFake wecom) =>
        [.. wecom.Data.MsgTemplates.ToArray().SelectMany(t => t.Results.Select(r => (r.ExternalUserId!, t.Sender!)))];
}
