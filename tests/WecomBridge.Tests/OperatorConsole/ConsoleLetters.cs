using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using WecomBridge.DeadLetters;
using WecomBridge.Tests.Infrastructure;

namespace WecomBridge.Tests.OperatorConsole;

/// <summary>Dead letters stored straight into the app's store, on a queue of their own that exists on the broker (for replay).</summary>
internal static class ConsoleLetters
{
    public static async Task<DeadLetter> StoreAsync(ConsoleFixture fixture, string queue, string body, string type, string fault)
    {
        await using (var connection = await new ConnectionFactory { Uri = new Uri(TestServers.RabbitMq) }.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
            await channel.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: false);
        var bytes = Encoding.UTF8.GetBytes(body);
        var now = DateTimeOffset.UtcNow;
        var letter = new DeadLetter(DeadLetter.StableId(queue + DeadLetter.ErrorSuffix, null, null, bytes), queue, type,
            Guid.NewGuid().ToString("N"), null, "application/json", "System.InvalidOperationException", fault, "TestConsumer", now, now,
            new Dictionary<string, JsonElement>(), bytes);
        Assert.Equal(StoreResult.Added, await fixture.DeadLetters.AddAsync(letter));
        return letter;
    }

    public static async Task<uint> CountAsync(string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(TestServers.RabbitMq) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        return await channel.MessageCountAsync(queue);
    }

    public static async Task DeleteQueueAsync(string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(TestServers.RabbitMq) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(queue);
    }
}
