using WecomBridge.Contracts.Directory;
using static WecomBridge.Tests.Callbacks.Parsing.CallbackSamples;

namespace WecomBridge.Tests.Callbacks.Parsing;

public class DirectoryParsingTests
{
    private const string Head = "<Event><![CDATA[change_contact]]></Event>";

    [Fact]
    public void Create_user_splits_comma_lists()
    {
        var created = WeComEventOf<EmployeeCreated>(Head + "<ChangeType>create_user</ChangeType><UserID><![CDATA[zhangsan]]></UserID>"
            + "<Name><![CDATA[张三]]></Name><Department><![CDATA[1,2,3]]></Department><MainDepartment>1</MainDepartment>"
            + "<IsLeaderInDept><![CDATA[1,0,0]]></IsLeaderInDept><DirectLeader><![CDATA[lisi,wangwu]]></DirectLeader>"
            + "<Position><![CDATA[产品经理]]></Position><Mobile>13800000000</Mobile><Gender>1</Gender><Email><![CDATA[zhangsan@gzdev.com]]></Email>"
            + "<Status>1</Status><Avatar><![CDATA[http://wx.qlogo.cn/mmopen/ajNVdqHZLLA3WJ6DSZUfiakYe37PKnQhBIeOQBO4czqrnZDS79FH5Wm5m4X69TBicnHFlhiafvDwklOpZeXYQQ2icg/0]]></Avatar>"
            + "<Alias><![CDATA[zhangsan]]></Alias><Telephone><![CDATA[020-123456]]></Telephone><Address><![CDATA[广州市]]></Address>");

        Assert.Equal(("zhangsan", "张三"), (created.UserId, created.Name));
        Assert.Equal([1L, 2L, 3L], created.DepartmentIds!);
        Assert.Equal(1L, created.MainDepartmentId);
        Assert.Equal([1, 0, 0], created.IsLeaderInDepartment!);
        Assert.Equal(["lisi", "wangwu"], created.DirectLeaders!);
        Assert.Equal(("13800000000", 1, 1), (created.Mobile, created.Gender, created.Status));
        Assert.Equal("020-123456", created.Telephone);
    }

    [Fact]
    public void Update_user_sets_only_changed_fields()
    {
        var updated = WeComEventOf<EmployeeUpdated>(Head + "<ChangeType><![CDATA[update_user]]></ChangeType><UserID><![CDATA[zhangsan]]></UserID>"
            + "<NewUserID><![CDATA[zhangsan001]]></NewUserID><Department><![CDATA[1,2]]></Department>");

        Assert.Equal(("zhangsan", "zhangsan001"), (updated.UserId, updated.NewUserId));
        Assert.Equal([1L, 2L], updated.DepartmentIds!);
        Assert.Null(updated.Name);
        Assert.Null(updated.Mobile);
        Assert.Null(updated.DirectLeaders);
    }

    [Fact]
    public void Update_user_tells_a_cleared_field_from_an_unchanged_one()
    {
        var updated = WeComEventOf<EmployeeUpdated>(Head + "<ChangeType>update_user</ChangeType><UserID>zhangsan</UserID><Alias><![CDATA[]]></Alias><DirectLeader></DirectLeader>");

        Assert.Equal("", updated.Alias);
        Assert.Equal([], updated.DirectLeaders!);
        Assert.Null(updated.Position);
        Assert.Null(updated.Gender);
    }

    [Fact]
    public void Delete_user() =>
        Assert.Equal("zhangsan", WeComEventOf<EmployeeDeleted>(Head + "<ChangeType><![CDATA[delete_user]]></ChangeType><UserID><![CDATA[zhangsan]]></UserID>").UserId);

    [Fact]
    public void Parties()
    {
        var created = WeComEventOf<DepartmentCreated>(Head + "<ChangeType><![CDATA[create_party]]></ChangeType><Id>2</Id><Name><![CDATA[张三]]></Name><ParentId><![CDATA[1]]></ParentId><Order>1</Order>");
        Assert.Equal((2L, "张三", 1L, 1L), (created.Id, created.Name, created.ParentId, created.Order));

        var updated = WeComEventOf<DepartmentUpdated>(Head + "<ChangeType><![CDATA[update_party]]></ChangeType><Id>2</Id><ParentId><![CDATA[3]]></ParentId>");
        Assert.Equal((2L, null, 3L), (updated.Id, updated.Name, updated.ParentId));

        Assert.Equal(2L, WeComEventOf<DepartmentDeleted>(Head + "<ChangeType><![CDATA[delete_party]]></ChangeType><Id>2</Id>").Id);
    }

    [Fact]
    public void Update_tag_splits_user_and_party_lists()
    {
        var tag = WeComEventOf<EmployeeTagUpdated>(Head + "<ChangeType><![CDATA[update_tag]]></ChangeType><TagId>1</TagId>"
            + "<AddUserItems><![CDATA[zhangsan,lisi]]></AddUserItems><DelUserItems><![CDATA[zhangsan1,lisi1]]></DelUserItems>"
            + "<AddPartyItems><![CDATA[1,2]]></AddPartyItems><DelPartyItems><![CDATA[3,4]]></DelPartyItems>");

        Assert.Equal(1L, tag.TagId);
        Assert.Equal(["zhangsan", "lisi"], tag.AddedUserIds);
        Assert.Equal(["zhangsan1", "lisi1"], tag.RemovedUserIds);
        Assert.Equal([1L, 2L], tag.AddedDepartmentIds);
        Assert.Equal([3L, 4L], tag.RemovedDepartmentIds);
    }

    [Fact]
    public void Update_tag_with_only_additions_has_empty_removals()
    {
        var tag = WeComEventOf<EmployeeTagUpdated>(Head + "<ChangeType>update_tag</ChangeType><TagId>7</TagId><AddUserItems>zhangsan</AddUserItems>");

        Assert.Equal(["zhangsan"], tag.AddedUserIds);
        Assert.Empty(tag.RemovedUserIds);
        Assert.Empty(tag.AddedDepartmentIds);
    }
}
