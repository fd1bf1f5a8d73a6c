using WecomBridge.Contracts.Contacts;
using static WecomBridge.Tests.Callbacks.Parsing.CallbackSamples;

namespace WecomBridge.Tests.Callbacks.Parsing;

public class ExternalContactParsingTests
{
    private const string Head = "<Event><![CDATA[change_external_contact]]></Event>";
    private const string Users = "<UserID><![CDATA[zhangsan]]></UserID><ExternalUserID><![CDATA[woAJ2GCAAAXtWyujaWJHDDGi0mACAAAA]]></ExternalUserID>";

    [Fact]
    public void Add_external_contact_carries_state_and_welcome_code_and_the_source()
    {
        var parsed = ParseWeCom(WeComEvent(Head + "<ChangeType><![CDATA[add_external_contact]]></ChangeType>" + Users
            + "<State><![CDATA[teststate]]></State><WelcomeCode><![CDATA[WELCOMECODE]]></WelcomeCode>"));

        var added = Assert.IsType<ExternalContactAdded>(parsed.Event);
        Assert.Equal(parsed.EventId, added.EventId);
        Assert.Equal(("acme", "crm", "ww1436e0e65a779aee"), (added.Corp, added.App, added.CorpId));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(CreateTime), added.OccurredAt);
        Assert.Equal(TimeSpan.Zero, added.OccurredAt.Offset);
        Assert.Equal(ReceivedAt, added.ReceivedAt);
        Assert.Equal(("zhangsan", "woAJ2GCAAAXtWyujaWJHDDGi0mACAAAA"), (added.UserId, added.ExternalUserId));
        Assert.Equal(("teststate", "WELCOMECODE"), (added.State, added.WelcomeCode));
    }

    [Fact]
    public void Half_added_without_welcome_code_in_plain_text()
    {
        var half = WeComEventOf<ExternalContactHalfAdded>(
            "<Event>change_external_contact</Event><ChangeType>add_half_external_contact</ChangeType><UserID>zhangsan</UserID><ExternalUserID>wo1</ExternalUserID>");

        Assert.Equal(("zhangsan", "wo1"), (half.UserId, half.ExternalUserId));
        Assert.Null(half.State);
        Assert.Null(half.WelcomeCode);
    }

    [Fact]
    public void Edit_external_contact() =>
        Assert.Equal("zhangsan", WeComEventOf<ExternalContactEdited>(Head + "<ChangeType><![CDATA[edit_external_contact]]></ChangeType>" + Users).UserId);

    [Theory]
    [InlineData("DELETE_BY_TRANSFER", true)]
    [InlineData("", false)]
    public void Del_external_contact_flags_deletion_by_transfer(string source, bool byTransfer)
    {
        var deleted = WeComEventOf<ExternalContactDeleted>(
            Head + "<ChangeType><![CDATA[del_external_contact]]></ChangeType>" + Users + $"<Source><![CDATA[{source}]]></Source>");

        Assert.Equal(byTransfer, deleted.DeletedByTransfer);
        Assert.Equal(byTransfer ? source : null, deleted.Source);
    }

    [Fact]
    public void Del_follow_user() =>
        Assert.Equal("woAJ2GCAAAXtWyujaWJHDDGi0mACAAAA",
            WeComEventOf<FollowUserDeleted>(Head + "<ChangeType><![CDATA[del_follow_user]]></ChangeType>" + Users).ExternalUserId);

    [Fact]
    public void Transfer_fail_carries_the_reason() =>
        Assert.Equal("customer_refused", WeComEventOf<ExternalContactTransferFailed>(
            Head + "<ChangeType><![CDATA[transfer_fail]]></ChangeType><FailReason><![CDATA[customer_refused]]></FailReason>" + Users).FailReason);

    [Fact]
    public void Msg_audit_approved() =>
        Assert.Equal("WELCOMECODE", WeComEventOf<ExternalContactChatArchiveApproved>(
            Head + "<ChangeType><![CDATA[msg_audit_approved]]></ChangeType>" + Users + "<WelcomeCode><![CDATA[WELCOMECODE]]></WelcomeCode>").WelcomeCode);
}
