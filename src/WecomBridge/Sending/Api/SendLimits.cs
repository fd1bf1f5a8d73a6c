namespace WecomBridge.Sending.Api;

/// <summary>Limits of POST /api/v1/messages (docs/wecom-protocol.md §5 and §8; where WeCom gives none, a sane bound).</summary>
internal static class SendLimits
{
    /// <summary>
    /// Body limit of POST /api/v1/messages: the largest valid command (10,000 external user ids of 128 characters,
    /// ≈ 1.3 MB) does not fit the 256 KiB of the rest of /api/v1.
    /// </summary>
    public const long BodyBytes = 2 * 1024 * 1024;
    /// <summary>JSON nesting of a body: room for a customer task's audience filter (all/any/not nest 6 deep).</summary>
    public const int JsonDepth = 32;

    public const int UserId = 64;
    public const int ExternalUserId = 128;
    public const int ChatId = 128;
    public const int TagId = 64;
    public const int OpenId = 64;
    public const int TemplateId = 64;
    public const int MediaId = 256;
    public const int WelcomeCode = 256;
    public const int Url = 2048;
    public const int MiniprogramPage = 512;

    /// <summary>add_msg_template and send_welcome_msg: text ≤ 4,000 bytes, ≤ 9 attachments.</summary>
    public const int TaskTextBytes = 4000;
    public const int Attachments = 9;
    public const int LinkTitleBytes = 128;
    public const int LinkDescriptionBytes = 512;
    public const int MiniprogramTitleBytes = 64;
    public const int ExternalUserIds = 10_000;
    public const int ChatIds = 2000;
    public const int TagsPerGroup = 100;
    public const int TagGroups = 100;

    /// <summary>add_moment_task: text ≤ 2,000 characters; senders bounded by the body limit (WeCom takes 100k).</summary>
    public const int MomentTextChars = 2000;
    public const int MomentSenders = 10_000;
    public const int MomentDepartments = 1000;
    public const int MomentTags = 100;

    /// <summary>message/send: text ≤ 2,048 bytes, touser ≤ 1,000, toparty ≤ 100, totag ≤ 100, duplicate check ≤ 4 h.</summary>
    public const int EmployeeTextBytes = 2048;
    public const int ToUsers = 1000;
    public const int ToParties = 100;
    public const int ToTags = 100;
    public const int DuplicateCheckSeconds = 14_400;

    /// <summary>OA template messages: keyword values are cut at about 20 characters (§8); ≤ 20 keywords.</summary>
    public const int TemplateKeywords = 20;
    public const int TemplateKeywordName = 32;
    public const int TemplateValueChars = 20;

    /// <summary>OA customer-service text: 2,048 bytes.</summary>
    public const int CustomerServiceTextBytes = 2048;

    /// <summary>PUT …/suppressions/…: the operator's reason.</summary>
    public const int SuppressionReason = 200;
}
