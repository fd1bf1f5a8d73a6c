using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using WecomBridge.Fakes;
using WecomBridge.WeCom;

namespace WecomBridge.Tests.WeCom;

public class ApiMetricsTests
{
    [Fact]
    public async Task Calls_are_counted_once_by_path_and_outcome_and_token_fetches_apart()
    {
        using var fake = WeComFake.Start();
        using var app = ApiHost.Start(fake.BaseUrl);
        var seen = new ConcurrentQueue<(string Name, string? Api, string? Outcome)>();
        using var listener = Listen(app.Services.GetRequiredService<IMeterFactory>(), seen);
        fake.Faults.ErrCode(-1, "/cgi-bin/externalcontact/get_corp_tag_list", times: 1);
        fake.Faults.ErrCode(40096, "/cgi-bin/externalcontact/get");

        await app.WeCom.GetCorpTagsAsync(ApiHost.Contact);
        await Assert.ThrowsAsync<ApiException>(() => app.WeCom.GetExternalContactAsync(ApiHost.Contact, "wmAlice"));

        Assert.Equal(
            [
                ("wecombridge.api.calls", "/cgi-bin/gettoken", "Success"),
                ("wecombridge.api.token.refreshes", "/cgi-bin/gettoken", null),
                ("wecombridge.api.calls", "/cgi-bin/externalcontact/get_corp_tag_list", "Success"),
                ("wecombridge.api.calls", "/cgi-bin/externalcontact/get", "Permanent"),
            ],
            seen.ToArray());
    }

    private static MeterListener Listen(IMeterFactory meters, ConcurrentQueue<(string, string?, string?)> seen)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Name.StartsWith("wecombridge.api.")) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            string? api = null, outcome = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "api") api = tag.Value?.ToString();
                if (tag.Key == "outcome") outcome = tag.Value?.ToString();
            }
            seen.Enqueue((instrument.Name, api, outcome));
        });
        listener.Start();
        return listener;
    }
}
