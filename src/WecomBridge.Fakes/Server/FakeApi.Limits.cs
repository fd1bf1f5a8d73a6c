using System.Globalization;
using System.Text.Json.Nodes;

namespace WecomBridge.Fakes.Server;

/// <summary>
/// The control endpoint of <see cref="ArrivalLimits"/>, for a fake run as a separate process:
/// POST {path, calls, window_ms} sets a path's limit (calls 0 lifts it); GET ?path=&amp;limit= answers the limits,
/// the number of arrivals and refusals, and the last `limit` arrivals (default 1,000) with their corp, time and refusal.
/// </summary>
public abstract partial class FakeApi
{
    private const int MaxPathLength = 200;
    private const int MaxCalls = 10_000_000;
    private const int MaxArrivalsListed = 100_000;
    private static readonly TimeSpan MaxWindow = TimeSpan.FromDays(1);

    private void MapLimits()
    {
        Map("POST", LimitsPath, SetLimit, checkToken: false);
        Map("GET", LimitsPath, ReadArrivals, checkToken: false);
    }

    private JsonObject SetLimit(FakeRequest request)
    {
        var path = request.String("path");
        if (path is null || !path.StartsWith('/') || path.StartsWith("/__fake/", StringComparison.Ordinal) || path.Length > MaxPathLength
            || path.Any(char.IsControl))
            return Answers.Error(40058, $"path must be an API path starting with / (at most {MaxPathLength} characters, not /__fake/)");
        if (request.Int("calls") is not ({ } calls and >= 0 and <= MaxCalls))
            return Answers.Error(40058, $"calls must be a whole number from 0 (no limit) to {MaxCalls}");
        if (calls == 0)
        {
            Limits.Remove(path);
            return Answers.Ok();
        }
        if (request.Body["window_ms"] is not JsonValue w || !w.TryGetValue<long>(out var ms) || ms < 1 || ms > MaxWindow.TotalMilliseconds)
            return Answers.Error(40058, "window_ms must be a whole number of milliseconds from 1 to 86400000");
        Limits.Set(path, calls, TimeSpan.FromMilliseconds(ms));
        return Answers.Ok();
    }

    private JsonObject ReadArrivals(FakeRequest request)
    {
        var path = request.Query("path");
        var limitText = request.Query("limit");
        var listed = 1_000;
        if (limitText is not null && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out listed)
            || listed > MaxArrivalsListed))
            return Answers.Error(40058, $"limit must be a whole number from 0 to {MaxArrivalsListed}");
        var arrivals = Limits.Arrivals(path);
        var limits = new JsonObject();
        foreach (var (p, l) in Limits.Limits) limits[p] = new JsonObject { ["calls"] = l.Calls, ["window_ms"] = (long)l.Window.TotalMilliseconds };
        var last = new JsonArray(arrivals.Skip(Math.Max(0, arrivals.Count - listed)).Select(a => (JsonNode)new JsonObject
        {
            ["corp"] = a.Corp, ["path"] = a.Path, ["time"] = a.Time.ToString("O", CultureInfo.InvariantCulture), ["refused"] = a.Refused,
        }).ToArray());
        return Answers.Ok(new JsonObject
        {
            ["limits"] = limits, ["arrivals"] = arrivals.Count, ["refused"] = arrivals.Count(a => a.Refused), ["last"] = last,
        });
    }
}
