using System.Text.Json.Nodes;
using WecomBridge.Fakes.Data;
using WecomBridge.Fakes.Server;

namespace WecomBridge.Fakes;

public sealed partial class WeComFake
{
    private void MapMoments()
    {
        Map("POST", Api + "externalcontact/add_moment_task", AddMomentTask);
        Map("GET", Api + "externalcontact/get_moment_task_result", GetMomentTaskResult);
        Map("POST", Api + "externalcontact/get_moment_list", GetMomentList);
        Map("POST", Api + "externalcontact/get_moment_task", GetMomentTask);
        Map("POST", Api + "externalcontact/get_moment_comments", GetMomentComments);
    }

    /// <summary>The job finishes at once: the moment exists and get_moment_task_result reports status 3.</summary>
    private JsonObject AddMomentTask(FakeRequest request)
    {
        var content = request.Body["text"]?["content"]?.ToString();
        if (string.IsNullOrEmpty(content) && request.Body["attachments"] is null) return Answers.Error(40058, "empty moment");
        if (content?.Length > 2000) return Answers.Error(40058, "text.content over 2000 characters");
        var senders = request.Body["visible_range"]?["sender_list"]?["user_list"] is JsonArray list
            ? list.Select(n => n?.ToString() ?? "").ToList()
            : Data.Employees.Select(e => e.UserId).ToList();
        var valid = senders.Where(s => Data.Employee(s) is not null).ToList();
        var moment = new Moment
        {
            MomentId = Paging.NewId("mom"),
            CreateTime = Time.GetUtcNow().ToUnixTimeSeconds(),
            CreateType = 0,
            Text = new MomentText { Content = content ?? "" },
            Tasks = valid.Select(s => new MomentTask { UserId = s }).ToList(),
        };
        var job = new MomentJob { JobId = Paging.NewId("job"), MomentId = moment.MomentId, InvalidSenders = senders.Except(valid).ToList() };
        Data.Moments.Add(moment);
        Data.MomentJobs.Add(job);
        return Answers.Ok(new JsonObject { ["jobid"] = job.JobId });
    }

    private JsonObject GetMomentTaskResult(FakeRequest request)
    {
        if (Data.MomentJobs.Find(j => j.JobId == request.Query("jobid")) is not { } job) return Answers.Error(40058, "invalid jobid");
        return Answers.Ok(new JsonObject
        {
            ["status"] = 3,
            ["type"] = "add_moment_task",
            ["result"] = new JsonObject
            {
                ["errcode"] = 0,
                ["errmsg"] = "ok",
                ["moment_id"] = job.MomentId,
                ["invalid_sender_list"] = new JsonObject { ["user_list"] = Answers.Array(job.InvalidSenders), ["department_list"] = new JsonArray() },
                ["invalid_external_contact_list"] = new JsonObject { ["tag_list"] = new JsonArray() },
            },
        });
    }

    private JsonObject GetMomentList(FakeRequest request)
    {
        var start = request.Body["start_time"]?.GetValue<long>() ?? 0;
        var end = request.Body["end_time"]?.GetValue<long>() ?? 0;
        var limit = request.Int("limit") ?? 20;
        if (end < start || end - start > 30 * 86400 || limit is < 1 or > 20) return Answers.Error(40058, "invalid time range or limit");
        var creator = request.String("creator");
        var moments = Data.Moments
            .Where(m => m.CreateTime >= start && m.CreateTime <= end && (creator is null || m.Creator == creator))
            .ToList();
        var (page, next) = Paging.Page(moments, request.String("cursor"), limit);
        var items = page.Select(m =>
        {
            var json = Answers.Node(m)!.AsObject();
            foreach (var key in new[] { "task_list", "comment_list", "like_list" }) json.Remove(key);
            return (JsonNode?)json;
        });
        return Answers.Ok(new JsonObject { ["next_cursor"] = next, ["moment_list"] = new JsonArray(items.ToArray()) });
    }

    private JsonObject GetMomentTask(FakeRequest request)
    {
        if (Data.FindMoment(request.String("moment_id")) is not { } moment) return Answers.Error(40058, "invalid moment_id");
        var (page, next) = Paging.Page(moment.Tasks, request.String("cursor"), request.Int("limit") ?? 500);
        return Answers.Ok(new JsonObject { ["next_cursor"] = next, ["task_list"] = Answers.Node(page) });
    }

    private JsonObject GetMomentComments(FakeRequest request)
    {
        if (Data.FindMoment(request.String("moment_id")) is not { } moment) return Answers.Error(40058, "invalid moment_id");
        var userId = request.String("userid");
        JsonArray Of(List<MomentReaction> items) => new(items.Where(r => r.OwnerUserId == userId)
            .Select(r => (JsonNode?)new JsonObject
            {
                [r.ExternalUserId is null ? "userid" : "external_userid"] = r.ExternalUserId ?? r.UserId,
                ["create_time"] = r.CreateTime,
            }).ToArray());
        return Answers.Ok(new JsonObject { ["comment_list"] = Of(moment.Comments), ["like_list"] = Of(moment.Likes) });
    }
}
