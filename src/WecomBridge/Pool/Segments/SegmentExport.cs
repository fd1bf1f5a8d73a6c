using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace WecomBridge.Pool.Segments;

/// <summary>
/// A segment's contacts as NDJSON (one JSON object per line), read and written page by page: memory stays at one page
/// whatever the segment's size, and every page runs with the same time, so relative times do not move during an export.
/// A failure after the first bytes aborts the response (an incomplete body), never a silently short one.
/// </summary>
internal sealed partial class SegmentExport(ISegmentStore store, SegmentQuery query, Guid? segmentId, ILogger logger) : IResult
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public async Task ExecuteAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        var json = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        context.Response.ContentType = SegmentApi.NdJson;
        await context.Response.StartAsync(ct);
        var body = context.Response.BodyWriter;
        string? after = null;
        long written = 0;
        while (true)
        {
            var page = await store.PageAsync(query, SegmentLimits.ExportPage, after, ct);
            foreach (var contact in page)
            {
                await using (var writer = new Utf8JsonWriter(body)) JsonSerializer.Serialize(writer, contact, json);
                body.Write(NewLine);
            }
            await body.FlushAsync(ct);
            written += page.Count;
            if (page.Count < SegmentLimits.ExportPage) break;
            after = page[^1].ExternalUserId;
        }
        Log.Exported(logger, query.Corp, segmentId, written);
    }

    private static partial class Log
    {
        [LoggerMessage(1841, LogLevel.Information, "Segment export of corp {Corp} ({SegmentId}): {Contacts} contacts")]
        public static partial void Exported(ILogger logger, string corp, Guid? segmentId, long contacts);
    }
}
