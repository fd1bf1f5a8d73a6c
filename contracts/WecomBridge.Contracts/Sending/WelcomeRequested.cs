namespace WecomBridge.Contracts.Sending;

/// <summary>
/// Command from the send API to the dispatcher's priority path: send a welcome message once, through the app that
/// received the contact-added event, before Deadline (20 s after the event; WeCom refuses the code after it).
/// </summary>
public sealed record WelcomeRequested(
    string MessageId,
    string Corp,
    string App,
    DateTimeOffset RequestedAt,
    DateTimeOffset Deadline,
    WelcomeMessage Welcome);
