using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace WecomBridge.WeCom;

/// <summary>
/// The named Polly pipelines of the API clients, one pair per family: "wecom"/"oa" for calls that may be repeated
/// (reads, gettoken, set-like writes such as mark_tag), "wecom-create"/"oa-create" for calls that create something.
/// The client has already classified each failure (<see cref="ApiException"/>); the pipelines act on that:
/// <list type="bullet">
/// <item>Transient → jittered exponential retry, at most <see cref="ApiClientOptions.MaxAttempts"/> attempts.</item>
/// <item>TokenExpired → once per call: the attempt has dropped the stale token, the retry fetches a new one at once.</item>
/// <item>Throttled, Configuration, Permanent → no retry: the caller gets the class and errcode at once (the dispatcher pauses the bucket).</item>
/// <item>84061 → a few slow retries: right after an add event the contact may not be visible yet.</item>
/// </list>
/// A create is retried only when it certainly was not done: WeCom answered an errcode (busy, 45033, expired token…
/// mean it refused the request), or the connection was never established. After a timeout, a connection dropped
/// after sending, an HTTP 5xx or an unreadable answer the outcome is unknown: repeating could send a customer the
/// same message twice, so the call fails with <see cref="ApiException.OutcomeUnknown"/> and the caller decides.
/// </summary>
internal static class ApiPipelines
{
    public const string WeCom = "wecom";
    public const string WeComCreate = "wecom-create";
    public const string OfficialAccount = "oa";
    public const string OfficialAccountCreate = "oa-create";

    private static readonly ResiliencePropertyKey<bool> TokenRefreshed = new("wecombridge.token-refreshed");
    /// <summary>The call's <see cref="CallDeadline"/>, when it has one (set by <see cref="ApiRunner"/>).</summary>
    internal static readonly ResiliencePropertyKey<CallDeadline> Deadline = new("wecombridge.deadline");
    private static readonly ResiliencePropertyKey<TimeSpan> PlannedDelay = new("wecombridge.planned-delay");

    public static IServiceCollection AddApiPipelines(this IServiceCollection services)
    {
        // Polly's telemetry logs each attempt's result: show its errcode only, never the payload (names, remarks, mobiles).
        services.Configure<Polly.Telemetry.TelemetryOptions>(o => o.ResultFormatter = (_, result) => result switch
        {
            ApiResult api => $"errcode {api.ErrCode}",
            null => null,
            _ => result.GetType().Name,
        });
        foreach (var (name, creates) in new[] { (WeCom, false), (WeComCreate, true), (OfficialAccount, false), (OfficialAccountCreate, true) })
            services.AddResiliencePipeline(name, (builder, context) =>
                Configure(builder, context.ServiceProvider.GetRequiredService<IOptions<ApiClientOptions>>().Value, creates));
        return services;
    }

    private static void Configure(ResiliencePipelineBuilder builder, ApiClientOptions options, bool creates)
    {
        builder.AddRetry(new RetryStrategyOptions
        {
            // An upper bound; ShouldRetry applies the per-class limits.
            MaxRetryAttempts = options.MaxAttempts + Math.Max(1, options.NotExternalContactRetries),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryBaseDelay,
            MaxDelay = options.RetryMaxDelay,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome.Exception, args.AttemptNumber, args.Context, options, creates)
                && FitsDeadline(args.Outcome.Exception, args.AttemptNumber, args.Context, options)),
            DelayGenerator = args => ValueTask.FromResult(args.Context.Properties.TryGetValue(PlannedDelay, out var planned)
                ? planned : DelayFor(args.Outcome.Exception, options)),
            OnRetry = args =>
            {
                if (args.Outcome.Exception is ApiException { Class: ApiErrorClass.TokenExpired })
                    args.Context.Properties.Set(TokenRefreshed, true);
                return ValueTask.CompletedTask;
            },
        });
        builder.AddTimeout(options.AttemptTimeout);
    }

    internal static bool ShouldRetry(Exception? failure, int attempt, ResilienceContext context, ApiClientOptions options, bool creates) =>
        failure switch
        {
            ApiException { Class: ApiErrorClass.TokenExpired } => !context.Properties.TryGetValue(TokenRefreshed, out _),
            ApiException { Class: ApiErrorClass.Transient, ErrCode: WeComErrors.NotExternalContact } => attempt < options.NotExternalContactRetries,
            ApiException { Class: ApiErrorClass.Transient } e => (!creates || !e.OutcomeUnknown) && attempt + 1 < options.MaxAttempts,
            TimeoutRejectedException => !creates && attempt + 1 < options.MaxAttempts,
            _ => false,
        };

    /// <summary>
    /// Without a deadline, true. With one, the retry's delay is planned here (the DelayGenerator returns it) and the retry
    /// is made only when that delay ends before the deadline, so that no attempt starts after it.
    /// </summary>
    private static bool FitsDeadline(Exception? failure, int attempt, ResilienceContext context, ApiClientOptions options)
    {
        if (!context.Properties.TryGetValue(Deadline, out var deadline)) return true;
        var delay = DeadlineDelay(failure, attempt, deadline.Left, options);
        if (delay is not { } planned) return false;
        context.Properties.Set(PlannedDelay, planned);
        return true;
    }

    /// <summary>
    /// The delay before the retry that follows failed attempt <paramref name="attempt"/> (0-based) when <paramref name="left"/>
    /// remains before the deadline; null when the retry would not start before it. 84061 retries are spread evenly over
    /// the time left (each at most NotExternalContactDelay), so that all of them fall inside the window; other failures
    /// wait the jittered exponential backoff.
    /// </summary>
    internal static TimeSpan? DeadlineDelay(Exception? failure, int attempt, TimeSpan left, ApiClientOptions options)
    {
        var delay = failure switch
        {
            ApiException { Class: ApiErrorClass.TokenExpired } => TimeSpan.Zero,
            ApiException { Class: ApiErrorClass.Transient, ErrCode: WeComErrors.NotExternalContact } =>
                Min(options.NotExternalContactDelay, left / (Math.Max(1, options.NotExternalContactRetries - attempt) + 1)),
            _ => Min(options.RetryMaxDelay, options.RetryBaseDelay * Math.Pow(2, attempt)) * (0.75 + Random.Shared.NextDouble() * 0.5),
        };
        return delay < left ? delay : null;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan? DelayFor(Exception? failure, ApiClientOptions options) => failure switch
    {
        ApiException { Class: ApiErrorClass.TokenExpired } => TimeSpan.Zero,
        ApiException { Class: ApiErrorClass.Transient, ErrCode: WeComErrors.NotExternalContact } => options.NotExternalContactDelay,
        _ => null, // the jittered exponential backoff
    };
}
