using System.Diagnostics;
using System.Text;
using WecomBridge.Observability.Tracing;

namespace WecomBridge.Tests.Observability.Tracing;

/// <summary>The headers a publish writes and what a consumer takes from them, without any listener (no exporter).</summary>
public sealed class TraceContextTests
{
    [Fact]
    public void A_publish_under_an_activity_carries_its_id_as_traceparent_and_as_MassTransits_header()
    {
        var (traceParent, traceId) = TraceTap.NewTraceParent();
        using var current = new Activity("request").SetParentId(traceParent).Start();
        current.TraceStateString = "vendor=1";

        var headers = TraceContext.Inject(null)!;

        Assert.Equal(current.Id, headers[TraceContext.TraceParent]);
        Assert.Equal(current.Id, headers[TraceContext.MassTransitActivityId]);
        Assert.Equal("vendor=1", headers[TraceContext.TraceState]);
        Assert.Equal(traceId, TraceTap.TraceIdOf((string)headers[TraceContext.TraceParent]!));
    }

    [Fact]
    public void Without_a_current_activity_no_header_is_written()
    {
        Activity.Current = null;
        Assert.Null(TraceContext.Inject(null));
        Assert.Null(TraceContext.Current());
    }

    [Fact]
    public void A_consumer_continues_a_headers_context_from_a_string_or_from_AMQP_bytes()
    {
        var (traceParent, traceId) = TraceTap.NewTraceParent();
        foreach (var value in new object[] { traceParent, Encoding.ASCII.GetBytes(traceParent) })
        {
            var parent = TraceContext.Parse(value, Encoding.ASCII.GetBytes("vendor=2"));
            using var activity = TraceContext.Continue("consume", ActivityKind.Consumer, parent)!;
            Assert.Equal(traceId, activity.TraceId.ToHexString());
            Assert.Equal(traceParent.Split('-')[2], activity.ParentSpanId.ToHexString());
            Assert.Equal("vendor=2", activity.TraceStateString);
            Assert.Same(activity, Activity.Current);
        }
        Assert.Null(Activity.Current);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("00-00000000000000000000000000000000-0000000000000000-01")]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra")]
    [InlineData("00-0AF7651916CD43DD8448EB211C80319C-B7AD6B7169203331-01")]
    public void A_malformed_traceparent_gives_no_context_and_no_activity(string? value)
    {
        Assert.Equal(default, TraceContext.Parse(value));
        Assert.Null(TraceContext.Continue("consume", ActivityKind.Consumer, TraceContext.Parse(value)));
    }

    [Fact]
    public void Oversized_or_odd_header_values_are_not_read()
    {
        var (traceParent, _) = TraceTap.NewTraceParent();
        Assert.Equal(default, TraceContext.Parse(Encoding.ASCII.GetBytes(traceParent + new string(' ', 10_000))));
        Assert.Equal(default, TraceContext.Parse(42));
        var parent = TraceContext.Parse(traceParent, new string('x', 10_000)); // an oversized tracestate is dropped, not the trace
        Assert.NotEqual(default, parent);
        Assert.Null(parent.TraceState);
    }
}
