using WecomBridge.OfficialAccount;
using WecomBridge.Sending.Status;
using WecomBridge.WeCom;

namespace WecomBridge.Sending.Api;

/// <summary>
/// Checks a <see cref="SendMessageRequest"/> against the WeCom/OA limits and the configuration: the kind, exactly
/// its part, the corp/app/account it needs, every field of the part. Errors are keyed by JSON path.
/// </summary>
internal static partial class SendValidation
{
    private static readonly Dictionary<string, string> Parts = new(StringComparer.Ordinal)
    {
        [SendKinds.Welcome] = "welcome",
        [SendKinds.CustomerTask] = "customerTask",
        [SendKinds.GroupTask] = "groupTask",
        [SendKinds.MomentTask] = "momentTask",
        [SendKinds.EmployeeMessage] = "employeeMessage",
        [SendKinds.Template] = "template",
        [SendKinds.CustomerService] = "customerService",
    };

    public static FieldErrors Validate(SendMessageRequest r, WeComOptions wecom, OfficialAccountOptions accounts)
    {
        var errors = new FieldErrors();
        var given = new (string Name, object? Value)[]
        {
            ("welcome", r.Welcome), ("customerTask", r.CustomerTask), ("groupTask", r.GroupTask), ("momentTask", r.MomentTask),
            ("employeeMessage", r.EmployeeMessage), ("template", r.Template), ("customerService", r.CustomerService),
        }.Where(p => p.Value is not null).Select(p => p.Name).ToList();

        if (!errors.Required("kind", r.Kind)) return errors;
        if (!Parts.TryGetValue(r.Kind!, out var part))
        {
            errors.Add("kind", $"must be one of: {string.Join(", ", SendKinds.All)}.");
            return errors;
        }
        foreach (var other in given.Where(g => g != part))
            errors.Add(other, $"is not the part of kind {r.Kind}; give only \"{part}\".");
        if (!given.Contains(part)) errors.Add(part, $"is required for kind {r.Kind}.");

        Source(errors, r, wecom, accounts);
        if (r.Welcome is { } welcome) Welcome(errors, welcome);
        if (r.CustomerTask is { } customer) CustomerTask(errors, customer);
        if (r.GroupTask is { } group) GroupTask(errors, group);
        if (r.MomentTask is { } moment) MomentTask(errors, moment);
        if (r.EmployeeMessage is { } employee) EmployeeMessage(errors, employee);
        if (r.Template is { } template) Template(errors, template);
        if (r.CustomerService is { } service) CustomerService(errors, service);
        return errors;
    }

    /// <summary>WeCom kinds need a configured corp (employee messages and welcomes also an app); OA kinds an account.</summary>
    private static void Source(FieldErrors errors, SendMessageRequest r, WeComOptions wecom, OfficialAccountOptions accounts)
    {
        if (r.Kind is SendKinds.Template or SendKinds.CustomerService)
        {
            errors.Absent("corp", r.Corp, $"is not used by kind {r.Kind}; give account.");
            errors.Absent("app", r.App, $"is not used by kind {r.Kind}; give account.");
            if (errors.Required("account", r.Account) && !accounts.Accounts.ContainsKey(r.Account!))
                errors.Add("account", "names no configured Official Account.");
            return;
        }
        errors.Absent("account", r.Account, $"is not used by kind {r.Kind}; give corp.");
        if (!errors.Required("corp", r.Corp)) return;
        if (!wecom.Corps.TryGetValue(r.Corp!, out var corp))
        {
            errors.Add("corp", "names no configured corp.");
            return;
        }
        var needsApp = r.Kind is SendKinds.EmployeeMessage or SendKinds.Welcome;
        if (needsApp) errors.Required("app", r.App);
        if (r.App is null) return;
        if (!corp.Apps.TryGetValue(r.App, out var app)) errors.Add("app", "names no configured app of the corp.");
        else if (r.Kind == SendKinds.EmployeeMessage && string.IsNullOrEmpty(app.AgentId))
            errors.Add("app", "has no AgentId configured, which message/send needs.");
    }
}
