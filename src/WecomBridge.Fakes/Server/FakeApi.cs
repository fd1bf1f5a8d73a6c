using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using WireMock;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace WecomBridge.Fakes.Server;

/// <summary>What the WeCom and OA fakes share: the WireMock server, journal, faults, tokens and unexpected calls.</summary>
public abstract partial class FakeApi : IDisposable
{
    private readonly WireMockServer _server;

    private protected FakeApi(FakeOptions options, int unknownTokenCode)
    {
        Time = options.TimeProvider;
        Tokens = new TokenStore(Time, options.TokenLifetime, unknownTokenCode);
        Faults = new Faults(Time, Tokens);
        Journal = new Journal(options.KeepCalls);
        Limits = new ArrivalLimits();
        _server = WireMockServer.Start(new WireMockServerSettings
        {
            Port = options.Port == 0 ? null : options.Port,
            StartAdminInterface = false,
            MaxRequestLogCount = options.KeepCalls,
            Logger = new WireMockNullLogger(),
            PreWireMockMiddlewareInit = app => ((IApplicationBuilder)app).Use(DropWhenFaulted),
        });
        MapLimits();
    }

    /// <summary>For example http://localhost:9100; the app's WeCom:BaseUrl or OfficialAccounts:BaseUrl.</summary>
    public string BaseUrl => _server.Url!;
    public int Port => _server.Port;
    public Journal Journal { get; }
    public Faults Faults { get; }
    /// <summary>WeCom-like frequency limits per corp and path, counted by arrival (also set through <see cref="LimitsPath"/>).</summary>
    public ArrivalLimits Limits { get; }

    /// <summary>A control endpoint of the fake (not a WeCom or OA API): POST sets a limit, GET reads the arrivals.</summary>
    public const string LimitsPath = "/__fake/limits";

    private protected TimeProvider Time { get; }
    private protected TokenStore Tokens { get; }
    /// <summary>Held while a handler runs, so handlers see and change Data one at a time.</summary>
    private protected Lock Gate { get; } = new();

    /// <summary>Calls that matched no mapping (unknown path or wrong method); they were answered 404.</summary>
    public IReadOnlyList<string> UnexpectedCalls => _server.LogEntries
        .Where(e => e.MappingGuid is null && e.RequestMessage is not null)
        .Select(e => $"{e.RequestMessage!.Method} {e.RequestMessage.Path}{e.RequestMessage.RawQuery}")
        .ToArray();

    public void AssertNoUnexpectedCalls()
    {
        var calls = UnexpectedCalls;
        if (calls.Count > 0)
            throw new InvalidOperationException(
                $"{GetType().Name} got unexpected calls:{Environment.NewLine}{string.Join(Environment.NewLine, calls)}");
    }

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
        GC.SuppressFinalize(this);
    }

    private protected void Map(string method, string path, Func<FakeRequest, JsonObject> handler, bool checkToken = true)
    {
        _server.Given(Request.Create().WithPath(path).UsingMethod(method))
            .RespondWith(Response.Create().WithCallback(message => Handle(message, handler, checkToken)));
    }

    private async Task<IResponseMessage> Handle(IRequestMessage message, Func<FakeRequest, JsonObject> handler, bool checkToken)
    {
        var request = new FakeRequest(message);
        if (Limits.Refuse(CorpOf(request), request.Path, Time.GetUtcNow()))
        {
            Journal.Add(new JournalEntry(message.Method, request.Path, request.RawQuery, request.BodyText, Time.GetUtcNow(), 200, 45009));
            return Json(200, Answers.Error(45009));
        }
        var faults = Faults.Take(request.Path);
        foreach (var latency in faults.Where(f => f.Kind == FaultKind.Latency))
            await Task.Delay(latency.Delay);

        var (status, body, fault) = Answer(request, faults, handler, checkToken);
        var errcode = fault == FaultType.NONE ? body?["errcode"]?.GetValue<int>() : null;
        Journal.Add(new JournalEntry(message.Method, request.Path, request.RawQuery, request.BodyText, Time.GetUtcNow(), status, errcode));

        return Json(status, body, fault);
    }

    private static ResponseMessage Json(int status, JsonObject? body, FaultType fault = FaultType.NONE)
    {
        var response = new ResponseMessage { StatusCode = status, FaultType = fault };
        if (body is not null)
        {
            response.AddHeader("Content-Type", "application/json; charset=utf-8");
            response.BodyData = new BodyData
            {
                BodyAsString = body.ToJsonString(),
                Encoding = Encoding.UTF8,
                DetectedBodyType = BodyType.String,
            };
        }
        return response;
    }

    /// <summary>Whose call it is: the corp (or OA account) its access token was issued to, else the one it names.</summary>
    private string CorpOf(FakeRequest request) =>
        Tokens.OwnerOf(request.Query("access_token")) is { } owner ? owner.Split('/')[0]
            : request.Query("corpid") ?? request.Query("appid") ?? "";

    /// <summary>Runs before WireMock: a DropConnection fault closes the connection without any answer.</summary>
    private async Task DropWhenFaulted(HttpContext context, Func<Task> next)
    {
        var path = context.Request.Path.Value ?? "";
        if (!Faults.TakeDrop(path))
        {
            await next();
            return;
        }
        var query = context.Request.QueryString.Value?.TrimStart('?') ?? "";
        Journal.Add(new JournalEntry(context.Request.Method, path, query, "", Time.GetUtcNow(), 0, null));
        context.Abort();
    }

    private (int Status, JsonObject? Body, FaultType Fault) Answer(
        FakeRequest request, IReadOnlyList<Fault> faults, Func<FakeRequest, JsonObject> handler, bool checkToken)
    {
        foreach (var fault in faults)
        {
            switch (fault.Kind)
            {
                case FaultKind.HttpStatus: return (fault.Value, null, FaultType.NONE);
                case FaultKind.MalformedResponse: return (200, Answers.Error(-1), FaultType.MALFORMED_RESPONSE_CHUNK);
                case FaultKind.EmptyResponse: return (200, null, FaultType.EMPTY_RESPONSE);
                case FaultKind.ErrCode: return (200, Answers.Error(fault.Value), FaultType.NONE);
                case FaultKind.RateLimit: return (200, Answers.Error(45009), FaultType.NONE);
            }
        }
        if (checkToken && Tokens.Check(request.Query("access_token")) is var code and not 0)
            return (200, Answers.Error(code), FaultType.NONE);
        lock (Gate) return (200, handler(request), FaultType.NONE);
    }
}
