using WecomBridge.Sending.Dispatcher;
using WecomBridge.Sending.Limits;
using WecomBridge.Sending.Status;

namespace WecomBridge.Sending.Errors;

/// <summary>
/// What an operator should do about sends that failed with an errcode (the errcode table of docs/wecom-protocol.md §6),
/// or ended ambiguous. Configuration codes get the advice the health report and the pauses give (<see cref="SendPauseAdvice"/>).
/// </summary>
internal static class SendErrorAdvice
{
    public const string Ambiguous = "the call may have reached WeCom and its outcome is unknown, so it is not repeated: check in WeCom " +
        "(the member's client, the admin console's group-message records) whether it arrived before sending it again as a new request";

    public const string NoErrCode = "failed without an errcode from the platform (suppressed or capped recipients, a malformed command, " +
        "a send lost or past its window, HTTP errors until the retry budget was spent, configuration): the reasons say which";

    public static string For(string state, int? errCode, SendErrorEntry latest)
    {
        if (state == SendStates.Ambiguous) return Ambiguous;
        if (errCode is not { } code) return NoErrCode;
        var oa = latest.Account is not null;
        var api = SendKinds.All.Contains(latest.Kind) ? SendCalls.ApiOf(latest.Kind) : "its API";
        var target = new PauseTarget(latest.Corp, latest.App, latest.Account, api, latest.Kind == SendKinds.EmployeeMessage);
        return (oa, code) switch
        {
            (false, 40001 or 40013 or 48002 or 60020) or (true, 40013 or 40125 or 40164 or 48001) =>
                SendPauseAdvice.For(target, PauseCauses.Configuration, code),
            (_, -1 or 6000 or 45033) => "the platform was busy for every attempt of the retry budget: sends retry by themselves; " +
                "if it recurs, lower Dispatch:ConcurrentSends or the API's Concurrency",
            (_, 40014 or 42001 or 41001) => "the access token was refused again after a refresh: check that one secret is not used " +
                "by another system that resets its tokens",
            (_, 45009 or 45011) => "a rate limit or quota refused the send after its pauses: lower the API's calls per window",
            (false, 40003) => "a member (UserID) of the send is not in the corp: check the ids the CRM sends (permanent for that recipient)",
            (true, 40003) => "an OpenID is not the account's: check the ids the CRM sends (permanent for that recipient)",
            (false, 40096) => "an external userid is not valid for this corp: re-sync the contact or drop it (permanent)",
            (false, WeCom.WeComErrors.NotExternalContact) => "the customer is not (or no longer) an external contact of the member, " +
                "after a few retries: check the relation in the contact pool (usually permanent)",
            (false, 41051) => "the welcome code was used or the customer is already chatting: nothing to do (permanent)",
            (false, 60011) => "a member or department is outside the app's visible range: widen it in the WeCom admin console",
            (_, 43004) => oa ? "the user does not follow the account (permanent for that recipient)"
                : "the member's WeCom is not bound to WeChat (permanent for that recipient)",
            (true, 45015) => "the user has not written to the account in the last 48 hours: use a template message",
            (true, 45047) => "the customer-service message quota of this 48-hour window is used up (permanent for the window)",
            (true, 48002) => "the user refuses messages from the account (permanent for that recipient)",
            (true, 40037 or 41030 or 47003) => "the template id, its page or a data value is not valid: fix the template or its data",
            (true, 45065 or 45066 or 45067) => "a mass send was a duplicate, retried too fast or too long: check the request",
            (_, 81013 or 40031 or 40058 or 45002) => "no valid recipient, a bad list, a bad parameter or too large a request: " +
                "fix the request (permanent)",
            _ => $"the platform refused the send (errcode {code}): look the errcode up in docs/wecom-protocol.md §6",
        };
    }
}
