using WecomBridge.Fakes;

namespace WecomBridge.Hosting;

/// <summary>
/// Development with no WeCom:BaseUrl / OfficialAccounts:BaseUrl: start the WireMock fakes in process and
/// point the app at them, so that `dotnet run` works with no Tencent account and no network.
/// </summary>
internal static partial class EmbeddedFakes
{
    public static IHostApplicationBuilder AddEmbeddedFakes(this IHostApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment()) return builder;
        var config = builder.Configuration;
        var settings = new Dictionary<string, string?>();
        if (string.IsNullOrWhiteSpace(config["WeCom:BaseUrl"]))
        {
            var wecom = WeComFake.Start();
            builder.Services.AddSingleton(wecom);
            settings["WeCom:BaseUrl"] = wecom.BaseUrl;
        }
        if (string.IsNullOrWhiteSpace(config["OfficialAccounts:BaseUrl"]))
        {
            var oa = OfficialAccountFake.Start();
            builder.Services.AddSingleton(oa);
            settings["OfficialAccounts:BaseUrl"] = oa.BaseUrl;
        }
        if (settings.Count > 0) config.AddInMemoryCollection(settings);
        return builder;
    }
}
