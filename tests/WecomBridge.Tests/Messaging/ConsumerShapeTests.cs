using MassTransit;

namespace WecomBridge.Tests.Messaging;

/// <summary>
/// Events travel as raw JSON with no MassTransit type header, and the app reads them with AnyMessageType:
/// a queue that received two types would hand every message to every consumer. So each consumer (one
/// queue each) must consume exactly one message type.
/// </summary>
public class ConsumerShapeTests
{
    [Fact]
    public void Every_consumer_of_the_app_consumes_exactly_one_message_type()
    {
        var consumers = typeof(Program).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IConsumer).IsAssignableFrom(t))
            .ToList();
        Assert.NotEmpty(consumers);
        foreach (var consumer in consumers)
        {
            var consumed = consumer.GetInterfaces().Count(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>));
            Assert.True(consumed == 1, $"{consumer.Name} consumes {consumed} message types");
        }
    }
}
