using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WecomBridge.Messaging;

/// <summary>
/// Ready only when the broker answers the AMQP protocol header with its Connection.Start frame
/// (no credentials, no channel). MassTransit's own bus check covers authentication and endpoints.
/// </summary>
internal sealed class RabbitMqHealthCheck(Uri broker) : IHealthCheck
{
    private static readonly byte[] ProtocolHeader = "AMQP\0\0\u0009\u0001"u8.ToArray();

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(broker.Host, broker.Port > 0 ? broker.Port : 5672, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(ProtocolHeader, timeout.Token);
            var frame = new byte[1];
            var read = await stream.ReadAsync(frame, timeout.Token);
            return read == 1 && frame[0] == 1 // a METHOD frame: Connection.Start
                ? HealthCheckResult.Healthy("RabbitMQ answers")
                : HealthCheckResult.Unhealthy("RabbitMQ did not answer the AMQP handshake");
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"RabbitMQ unreachable at {broker.Host}:{broker.Port} ({e.GetType().Name})");
        }
    }
}
