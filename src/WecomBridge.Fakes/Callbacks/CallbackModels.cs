namespace WecomBridge.Fakes.Callbacks;

/// <summary>A WeCom app's callback settings (receive id = CorpID).</summary>
public sealed record WeComCallbackApp(string Token, string EncodingAesKey, string CorpId, string AgentId = "1000002");

/// <summary>Official Account message encryption modes (docs/wecom-protocol.md §2).</summary>
public enum OaEncryptionMode
{
    Plaintext,
    /// <summary>Plaintext fields plus &lt;Encrypt&gt;.</summary>
    Compatible,
    /// <summary>Only &lt;Encrypt&gt;.</summary>
    Safe,
}

/// <summary>An Official Account's callback settings (receive id = AppID). OriginalId is the gh_ id.</summary>
public sealed record OaCallbackApp(
    string Token, string AppId, string? EncodingAesKey = null, OaEncryptionMode Mode = OaEncryptionMode.Plaintext,
    string OriginalId = "gh_fakeaccount");

/// <summary>Fixed signing inputs for reproducible output; nulls mean "now", a random nonce and random bytes.</summary>
public sealed record CallbackStamp(string? Timestamp = null, string? Nonce = null, byte[]? Random = null);

/// <summary>A built callback: method, query string (without '?', URL-encoded) and body (null for GET).</summary>
public sealed record CallbackRequest(HttpMethod Method, string Query, string? Body)
{
    /// <summary>The callback URL plus this query; a URL starting with "/" stays relative (for an HttpClient with a BaseAddress).</summary>
    public Uri UriFor(string callbackUrl) =>
        new(callbackUrl + (callbackUrl.Contains('?') ? "&" : "?") + Query, callbackUrl.StartsWith('/') ? UriKind.Relative : UriKind.Absolute);

    public HttpRequestMessage ToHttpRequest(string callbackUrl)
    {
        var message = new HttpRequestMessage(Method, UriFor(callbackUrl));
        if (Body is not null) message.Content = new StringContent(Body, System.Text.Encoding.UTF8, "text/xml");
        return message;
    }
}

/// <summary>What the gateway answered.</summary>
public sealed record CallbackResponse(int StatusCode, string Body);
