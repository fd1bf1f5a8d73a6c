using System.Text.Json.Serialization;
using WecomBridge.WeCom.Models;

namespace WecomBridge.WeCom;

/// <summary>Source-generated JSON of the WeCom API: snake_case, nulls left out of requests.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApiOk))]
[JsonSerializable(typeof(AccessTokenResponse))]
[JsonSerializable(typeof(ExternalContactPage))]
[JsonSerializable(typeof(ExternalUserIdList))]
[JsonSerializable(typeof(BatchGetByUserRequest))]
[JsonSerializable(typeof(BatchContactPage))]
[JsonSerializable(typeof(RemarkRequest))]
[JsonSerializable(typeof(CorpTagListRequest))]
[JsonSerializable(typeof(CorpTagList))]
[JsonSerializable(typeof(MarkTagRequest))]
[JsonSerializable(typeof(GroupChatListRequest))]
[JsonSerializable(typeof(GroupChatPage))]
[JsonSerializable(typeof(GroupChatGetRequest))]
[JsonSerializable(typeof(GroupChatResponse))]
[JsonSerializable(typeof(MsgTemplateRequest))]
[JsonSerializable(typeof(MsgTemplateResult))]
[JsonSerializable(typeof(GroupMsgSendResultRequest))]
[JsonSerializable(typeof(GroupMsgSendResultPage))]
[JsonSerializable(typeof(WelcomeMessageRequest))]
[JsonSerializable(typeof(AppMessageRequest))]
[JsonSerializable(typeof(AppMessageResult))]
[JsonSerializable(typeof(MomentTaskRequest))]
[JsonSerializable(typeof(MomentJob))]
[JsonSerializable(typeof(MomentTaskResult))]
[JsonSerializable(typeof(MomentListRequest))]
[JsonSerializable(typeof(MomentPage))]
[JsonSerializable(typeof(MomentTaskListRequest))]
[JsonSerializable(typeof(MomentTaskPage))]
[JsonSerializable(typeof(MomentCommentsRequest))]
[JsonSerializable(typeof(MomentComments))]
internal sealed partial class WeComJsonContext : JsonSerializerContext;
