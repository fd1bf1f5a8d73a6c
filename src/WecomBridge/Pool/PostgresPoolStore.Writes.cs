using Npgsql;

namespace WecomBridge.Pool;

/// <summary>The statements of each change. Each row changes only when its changed_at is not newer than the event.</summary>
internal sealed partial class PostgresPoolStore
{
    /// <summary>A contact row for a relation that arrives first; the read that follows fills it in.</summary>
    private const string TouchContact = """
        INSERT INTO pool.contacts (corp, external_user_id, first_seen_at) VALUES (@corp, @ext, @at)
        ON CONFLICT (corp, external_user_id) DO NOTHING
        """;

    private static void Added(NpgsqlBatch batch, RelationAdded c)
    {
        Add(batch, TouchContact, ("corp", c.Corp), ("ext", c.ExternalUserId), ("at", c.At));
        Add(batch, """
            INSERT INTO pool.follow_relations AS r (corp, external_user_id, user_id, added_at, state, changed_at)
            VALUES (@corp, @ext, @user, @at, @state, @at)
            ON CONFLICT (corp, external_user_id, user_id) DO UPDATE
            SET added_at = excluded.added_at, state = excluded.state, deleted_at = NULL, deleted_by = NULL, changed_at = excluded.changed_at
            WHERE r.changed_at <= excluded.changed_at
            """, ("corp", c.Corp), ("ext", c.ExternalUserId), ("user", c.UserId), ("at", c.At), ("state", c.State));
    }

    private static void Deleted(NpgsqlBatch batch, RelationDeleted c)
    {
        Add(batch, TouchContact, ("corp", c.Corp), ("ext", c.ExternalUserId), ("at", c.At));
        Add(batch, """
            INSERT INTO pool.follow_relations AS r (corp, external_user_id, user_id, deleted_at, deleted_by, changed_at)
            VALUES (@corp, @ext, @user, @at, @by, @at)
            ON CONFLICT (corp, external_user_id, user_id) DO UPDATE
            SET deleted_at = excluded.deleted_at, deleted_by = excluded.deleted_by, changed_at = excluded.changed_at
            WHERE r.changed_at <= excluded.changed_at
            """, ("corp", c.Corp), ("ext", c.ExternalUserId), ("user", c.UserId), ("at", c.At), ("by", c.DeletedBy));
    }

    /// <summary>The unionid never changes, so any read that has it fills it in; type and name follow the newest read.</summary>
    private static void Read(NpgsqlBatch batch, ContactRead c)
    {
        Add(batch, """
            INSERT INTO pool.contacts AS c (corp, external_user_id, type, union_id, name, first_seen_at, profile_at)
            VALUES (@corp, @ext, @type, @union, @name, @at, @at)
            ON CONFLICT (corp, external_user_id) DO UPDATE
            SET union_id = COALESCE(excluded.union_id, c.union_id),
                type = CASE WHEN c.profile_at IS NULL OR c.profile_at <= excluded.profile_at THEN excluded.type ELSE c.type END,
                name = CASE WHEN c.profile_at IS NULL OR c.profile_at <= excluded.profile_at THEN excluded.name ELSE c.name END,
                profile_at = GREATEST(c.profile_at, excluded.profile_at)
            """, ("corp", c.Corp), ("ext", c.ExternalUserId), ("type", (short)c.Type), ("union", c.UnionId), ("name", c.Name), ("at", c.At));
        foreach (var r in c.Relations)
        {
            // Tags have a time of their own: a read older than a deletion still has the newest tags known.
            Add(batch, """
                INSERT INTO pool.follow_relations AS r
                    (corp, external_user_id, user_id, added_at, add_way, state, remark, changed_at, tag_ids, tags_at)
                VALUES (@corp, @ext, @user, @added, @way, @state, @remark, @at, @tags, @at)
                ON CONFLICT (corp, external_user_id, user_id) DO UPDATE
                SET tag_ids = CASE WHEN r.tags_at IS NULL OR r.tags_at <= excluded.tags_at THEN excluded.tag_ids ELSE r.tag_ids END,
                    tags_at = GREATEST(r.tags_at, excluded.tags_at),
                    added_at = CASE WHEN r.changed_at <= excluded.changed_at THEN excluded.added_at ELSE r.added_at END,
                    add_way = CASE WHEN r.changed_at <= excluded.changed_at THEN excluded.add_way ELSE r.add_way END,
                    state = CASE WHEN r.changed_at <= excluded.changed_at THEN excluded.state ELSE r.state END,
                    remark = CASE WHEN r.changed_at <= excluded.changed_at THEN excluded.remark ELSE r.remark END,
                    deleted_at = CASE WHEN r.changed_at <= excluded.changed_at THEN NULL ELSE r.deleted_at END,
                    deleted_by = CASE WHEN r.changed_at <= excluded.changed_at THEN NULL ELSE r.deleted_by END,
                    changed_at = GREATEST(r.changed_at, excluded.changed_at)
                """, ("corp", c.Corp), ("ext", c.ExternalUserId), ("user", r.UserId), ("added", r.AddedAt), ("way", r.AddWay),
                ("state", r.State), ("remark", r.Remark), ("at", c.At), ("tags", r.TagIds.ToArray()));
        }
    }

    /// <summary>The whole member list: those in it joined (unless the chat was dismissed since), the others left.</summary>
    private static void Read(NpgsqlBatch batch, ChatMembersRead c)
    {
        Add(batch, """
            INSERT INTO pool.group_members AS m (corp, chat_id, member_id, member_type, joined_at, join_scene, changed_at)
            SELECT @corp, @chat, u.id, u.type, u.joined, u.scene, @at
            FROM unnest(@ids, @types, @joined, @scenes) AS u(id, type, joined, scene)
            WHERE NOT EXISTS (SELECT 1 FROM pool.group_chats g WHERE g.corp = @corp AND g.chat_id = @chat AND g.dismissed_at >= @at)
            ON CONFLICT (corp, chat_id, member_id) DO UPDATE
            SET member_type = COALESCE(excluded.member_type, m.member_type), joined_at = COALESCE(excluded.joined_at, m.joined_at),
                join_scene = COALESCE(excluded.join_scene, m.join_scene), left_at = NULL, changed_at = excluded.changed_at
            WHERE m.changed_at <= excluded.changed_at
            """, ("corp", c.Corp), ("chat", c.ChatId), ("at", c.At), ("ids", c.Members.Select(m => m.MemberId).ToArray()),
            ("types", c.Members.Select(m => m.Type).ToArray()),
            ("joined", c.Members.Select(m => m.JoinedAt?.UtcDateTime).ToArray()),
            ("scenes", c.Members.Select(m => m.JoinScene).ToArray()));
        Add(batch, """
            UPDATE pool.group_members SET left_at = @at, changed_at = @at
            WHERE corp = @corp AND chat_id = @chat AND left_at IS NULL AND changed_at <= @at AND NOT (member_id = ANY(@ids))
            """, ("corp", c.Corp), ("chat", c.ChatId), ("at", c.At), ("ids", c.Members.Select(m => m.MemberId).ToArray()));
    }

    private static void Changed(NpgsqlBatch batch, ChatMembersChanged c) => Add(batch, c.Joined
        ? """
          INSERT INTO pool.group_members AS m (corp, chat_id, member_id, joined_at, join_scene, changed_at)
          SELECT @corp, @chat, u.id, @at, @scene, @at FROM unnest(@ids) AS u(id)
          WHERE NOT EXISTS (SELECT 1 FROM pool.group_chats g WHERE g.corp = @corp AND g.chat_id = @chat AND g.dismissed_at >= @at)
          ON CONFLICT (corp, chat_id, member_id) DO UPDATE
          SET joined_at = excluded.joined_at, join_scene = COALESCE(excluded.join_scene, m.join_scene), left_at = NULL,
              changed_at = excluded.changed_at
          WHERE m.changed_at <= excluded.changed_at
          """
        : """
          INSERT INTO pool.group_members AS m (corp, chat_id, member_id, left_at, changed_at)
          SELECT @corp, @chat, u.id, @at, @at FROM unnest(@ids) AS u(id)
          ON CONFLICT (corp, chat_id, member_id) DO UPDATE SET left_at = excluded.left_at, changed_at = excluded.changed_at
          WHERE m.changed_at <= excluded.changed_at
          """,
        ("corp", c.Corp), ("chat", c.ChatId), ("at", c.At), ("scene", new IntAt(c.JoinScene)), ("ids", c.MemberIds.Distinct().ToArray()));

    private static void Dismissed(NpgsqlBatch batch, ChatDismissed c)
    {
        Add(batch, """
            INSERT INTO pool.group_chats AS g (corp, chat_id, dismissed_at) VALUES (@corp, @chat, @at)
            ON CONFLICT (corp, chat_id) DO UPDATE SET dismissed_at = GREATEST(g.dismissed_at, excluded.dismissed_at)
            """, ("corp", c.Corp), ("chat", c.ChatId), ("at", c.At));
        Add(batch, """
            UPDATE pool.group_members SET left_at = @at, changed_at = @at
            WHERE corp = @corp AND chat_id = @chat AND left_at IS NULL AND changed_at <= @at
            """, ("corp", c.Corp), ("chat", c.ChatId), ("at", c.At));
    }

    private static void Subscription(NpgsqlBatch batch, FollowerSubscription c) => Add(batch, c.Subscribed
        ? """
          INSERT INTO pool.followers AS f (account, open_id, subscribed, subscribed_at, scene, first_seen_at, changed_at)
          VALUES (@account, @open, true, @at, @scene, @at, @at)
          ON CONFLICT (account, open_id) DO UPDATE
          SET subscribed = true, subscribed_at = excluded.subscribed_at, scene = excluded.scene, changed_at = excluded.changed_at
          WHERE f.changed_at <= excluded.changed_at
          """
        : """
          INSERT INTO pool.followers AS f (account, open_id, subscribed, unsubscribed_at, first_seen_at, changed_at)
          VALUES (@account, @open, false, @at, @at, @at)
          ON CONFLICT (account, open_id) DO UPDATE
          SET subscribed = false, unsubscribed_at = excluded.unsubscribed_at, changed_at = excluded.changed_at
          WHERE f.changed_at <= excluded.changed_at
          """,
        ("account", c.Account), ("open", c.OpenId), ("at", c.At), ("scene", c.Scene));

    private static void Read(NpgsqlBatch batch, FollowerRead c) => Add(batch, """
        INSERT INTO pool.followers AS f (account, open_id, union_id, subscribed, subscribed_at, scene, subscribe_scene, tag_ids,
            remark, first_seen_at, changed_at)
        VALUES (@account, @open, @union, @subscribed, @subscribedAt, @scene, @subscribeScene, @tags, @remark, @at, @at)
        ON CONFLICT (account, open_id) DO UPDATE
        SET union_id = COALESCE(excluded.union_id, f.union_id),
            subscribed = CASE WHEN f.changed_at <= excluded.changed_at THEN excluded.subscribed ELSE f.subscribed END,
            subscribed_at = CASE WHEN f.changed_at <= excluded.changed_at
                THEN COALESCE(excluded.subscribed_at, f.subscribed_at) ELSE f.subscribed_at END,
            scene = CASE WHEN f.changed_at <= excluded.changed_at THEN COALESCE(excluded.scene, f.scene) ELSE f.scene END,
            subscribe_scene = CASE WHEN f.changed_at <= excluded.changed_at
                THEN COALESCE(excluded.subscribe_scene, f.subscribe_scene) ELSE f.subscribe_scene END,
            tag_ids = CASE WHEN f.changed_at <= excluded.changed_at THEN excluded.tag_ids ELSE f.tag_ids END,
            remark = CASE WHEN f.changed_at <= excluded.changed_at THEN excluded.remark ELSE f.remark END,
            changed_at = GREATEST(f.changed_at, excluded.changed_at)
        """, ("account", c.Account), ("open", c.OpenId), ("union", c.UnionId), ("subscribed", c.Subscribed),
        ("subscribedAt", new TimeAt(c.SubscribedAt)), ("scene", c.Scene), ("subscribeScene", c.SubscribeScene),
        ("tags", c.TagIds.ToArray()), ("remark", c.Remark), ("at", c.At));
}
