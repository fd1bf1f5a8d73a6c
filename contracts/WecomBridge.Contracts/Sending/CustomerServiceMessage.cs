namespace WecomBridge.Contracts.Sending;

/// <summary>
/// Official Account message/custom/send inside the follower's window (5 messages within 48 h of their message).
/// MsgType `text` (Text) or `image` (MediaId); KfAccount sends as that customer-service account.
/// </summary>
public sealed record CustomerServiceMessage(string OpenId, string MsgType, string? Text, string? MediaId, string? KfAccount);
