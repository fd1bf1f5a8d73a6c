using System.Diagnostics;

namespace WecomBridge.Hosting;

/// <summary>The one ActivitySource and meter name of WecomBridge.</summary>
internal static class BridgeTelemetry
{
    public const string Name = "WecomBridge";
    public static readonly ActivitySource Source = new(Name);
}
