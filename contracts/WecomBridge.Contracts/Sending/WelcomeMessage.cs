namespace WecomBridge.Contracts.Sending;

/// <summary>externalcontact/send_welcome_msg: the welcome code of a contact-added event, within 20 s of it, once.</summary>
public sealed record WelcomeMessage(string WelcomeCode, string? Text, IReadOnlyList<SendAttachment>? Attachments);
