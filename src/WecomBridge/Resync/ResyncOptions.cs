using System.ComponentModel.DataAnnotations;

namespace WecomBridge.Resync;

/// <summary>"Resync": paging and pacing of CRM re-syncs.</summary>
public sealed class ResyncOptions
{
    public const string Section = "Resync";

    /// <summary>Page size of batch/get_by_user (≤ 100) and groupchat/list.</summary>
    [Range(1, 100)] public int PageSize { get; set; } = 100;

    /// <summary>groupchat/get or user/info calls in flight within one run.</summary>
    [Range(1, 16)] public int DetailConcurrency { get; set; } = 4;

    /// <summary>Runs at once in this instance; more wait their turn (state running, no pages yet).</summary>
    [Range(1, 8)] public int MaxRuns { get; set; } = 2;

    /// <summary>The single-run lock lives this long without progress (renewed on every page).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan LockTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long GET /api/v1/resync/{id} can read a run.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan ProgressTtl { get; set; } = TimeSpan.FromDays(1);
}
