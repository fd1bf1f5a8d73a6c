using WecomBridge.Api;
using WecomBridge.Hosting;
using WecomBridge.WeCom;

namespace WecomBridge.Sending.Api;

/// <summary>The send API's settings: its publish timeout, and the API keys that every role's /api/v1 checks.</summary>
internal static class SendApiExtensions
{
    /// <summary>The dispatcher's send API (its endpoints are mapped by <see cref="SendApiEndpoints.MapSendApi"/>).</summary>
    public static IHostApplicationBuilder AddSendApi(this IHostApplicationBuilder builder) => builder.AddSendApiOptions();

    /// <summary>
    /// `SendApi` (API keys and publish timeout). Idempotent: /api/v1 of both roles authenticates with its keys. The
    /// validator checks each key's corps and accounts against WeCom:Corps and OfficialAccounts:Accounts, which the
    /// API clients register.
    /// </summary>
    public static IHostApplicationBuilder AddSendApiOptions(this IHostApplicationBuilder builder)
    {
        builder.AddApiClients();
        builder.Services.AddValidatedOptions<SendApiOptions, SendApiOptionsValidator>(SendApiOptions.Section);
        return builder;
    }
}
