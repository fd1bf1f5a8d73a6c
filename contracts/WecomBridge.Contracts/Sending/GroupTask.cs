namespace WecomBridge.Contracts.Sending;

/// <summary>externalcontact/add_msg_template, chat_type group: the sender's customer group chats (≤ 2,000 ids, or all of them).</summary>
public sealed record GroupTask(string Sender, IReadOnlyList<string>? ChatIds, string? Text, IReadOnlyList<SendAttachment>? Attachments);
