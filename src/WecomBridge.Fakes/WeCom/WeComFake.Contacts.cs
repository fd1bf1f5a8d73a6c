using System.Text.Json.Nodes;
using WecomBridge.Fakes.Data;
using WecomBridge.Fakes.Server;

namespace WecomBridge.Fakes;

public sealed partial class WeComFake
{
    private void MapContacts()
    {
        Map("GET", Api + "externalcontact/get", GetContact);
        Map("GET", Api + "externalcontact/list", ListContacts);
        Map("POST", Api + "externalcontact/batch/get_by_user", BatchGetByUser);
        Map("POST", Api + "externalcontact/get_corp_tag_list", GetCorpTags);
        Map("POST", Api + "externalcontact/mark_tag", MarkTag);
        Map("POST", Api + "externalcontact/remark", Remark);
    }

    private JsonObject GetContact(FakeRequest request)
    {
        if (Data.Contact(request.Query("external_userid")) is not { } contact) return Answers.Error(84061);
        var (page, next) = Paging.Page(contact.FollowUsers, request.Query("cursor"), _options.FollowUserPageSize);
        var profile = Answers.Node(contact)!.AsObject();
        profile.Remove("follow_user");
        return Answers.Ok(new JsonObject
        {
            ["external_contact"] = profile,
            ["follow_user"] = new JsonArray(page.Select(f => (JsonNode?)FollowUserJson(f, expandTags: true)).ToArray()),
            ["next_cursor"] = next,
        });
    }

    private JsonObject ListContacts(FakeRequest request)
    {
        var userId = request.Query("userid");
        if (Data.Employee(userId) is null) return Answers.Error(40003);
        var ids = Data.ExternalContacts.Where(c => c.FollowUsers.Any(f => f.UserId == userId)).Select(c => c.ExternalUserId);
        return Answers.Ok(new JsonObject { ["external_userid"] = Answers.Array(ids) });
    }

    private JsonObject BatchGetByUser(FakeRequest request)
    {
        var users = request.Strings("userid_list");
        var limit = request.Int("limit") ?? 50;
        if (users.Count is 0 or > 100 || limit is < 1 or > 100) return Answers.Error(40058);
        if (users.FirstOrDefault(u => Data.Employee(u) is null) is { } unknown) return Answers.Error(40003, $"invalid userid {unknown}");
        var pairs = Data.ExternalContacts
            .SelectMany(c => c.FollowUsers.Where(f => users.Contains(f.UserId)).Select(f => (Contact: c, Follow: f)))
            .ToList();
        var (page, next) = Paging.Page(pairs, request.String("cursor"), limit);
        var list = page.Select(p =>
        {
            var profile = Answers.Node(p.Contact)!.AsObject();
            profile.Remove("follow_user");
            return (JsonNode?)new JsonObject { ["external_contact"] = profile, ["follow_info"] = FollowUserJson(p.Follow, expandTags: false) };
        });
        return Answers.Ok(new JsonObject { ["external_contact_list"] = new JsonArray(list.ToArray()), ["next_cursor"] = next });
    }

    /// <summary>externalcontact/get shows tags[{group_name, tag_name, tag_id, type}]; batch/get_by_user shows tag_id[].</summary>
    private JsonObject FollowUserJson(FollowUser follow, bool expandTags)
    {
        var json = Answers.Node(follow)!.AsObject();
        json.Remove("tag_ids");
        if (!expandTags)
        {
            json["tag_id"] = Answers.Array(follow.TagIds);
            return json;
        }
        var tags = follow.TagIds.Select(id => Data.FindTag(id)).OfType<(TagGroup Group, CorpTag Tag)>()
            .Select(t => (JsonNode?)new JsonObject
            {
                ["group_name"] = t.Group.GroupName, ["tag_name"] = t.Tag.Name, ["tag_id"] = t.Tag.Id, ["type"] = 1,
            });
        json["tags"] = new JsonArray(tags.ToArray());
        return json;
    }

    private JsonObject GetCorpTags(FakeRequest request)
    {
        var tagIds = request.Strings("tag_id");
        var groupIds = request.Strings("group_id");
        var groups = new JsonArray();
        foreach (var group in Data.TagGroups)
        {
            var json = Answers.Node(group)!.AsObject();
            if (groupIds.Count > 0)
            {
                if (!groupIds.Contains(group.GroupId)) continue;
            }
            else if (tagIds.Count > 0)
            {
                var tags = group.Tags.Where(t => tagIds.Contains(t.Id)).ToList();
                if (tags.Count == 0) continue;
                json["tag"] = Answers.Node(tags);
            }
            groups.Add(json);
        }
        return Answers.Ok(new JsonObject { ["tag_group"] = groups });
    }

    private JsonObject MarkTag(FakeRequest request)
    {
        if (FindFollow(request) is not { } follow) return Answers.Error(84061);
        var add = request.Strings("add_tag");
        var remove = request.Strings("remove_tag");
        if (add.Concat(remove).FirstOrDefault(id => Data.FindTag(id) is null) is { } unknown)
            return Answers.Error(40068, $"invalid tagid {unknown}");
        follow.TagIds = follow.TagIds.Except(remove).Union(add).ToList();
        return Answers.Ok();
    }

    private JsonObject Remark(FakeRequest request)
    {
        if (FindFollow(request) is not { } follow) return Answers.Error(84061);
        if (request.String("remark") is { } remark) follow.Remark = remark;
        if (request.String("description") is { } description) follow.Description = description;
        return Answers.Ok();
    }

    private FollowUser? FindFollow(FakeRequest request) =>
        Data.Contact(request.String("external_userid"))?.FollowUsers.Find(f => f.UserId == request.String("userid"));
}
