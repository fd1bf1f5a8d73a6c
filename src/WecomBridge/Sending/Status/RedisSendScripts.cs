using StackExchange.Redis;

namespace WecomBridge.Sending.Status;

/// <summary>
/// The Lua of <see cref="RedisSendStatusStore"/>: each reads and writes one message atomically. A lease is counted
/// on Redis's clock (TIME); FirstCallAt, its repeat window and a requeue hold on the instances' clocks (passed in),
/// the clock the dispatcher's own deferrals use. Every script that writes a state keeps the index of unfinished
/// messages in the same step (<see cref="Reindex"/>, <see cref="OpenMessages"/>).
/// </summary>
internal static class RedisSendScripts
{
    /// <summary>
    /// Moves @id to the index of its state, scored by its due time in ms (or out of every index when finished).
    /// Prepended to each script that writes a state; those take @id, @openAccepted, @openDeferred and @openSending.
    /// </summary>
    public const string Reindex = """
        local function reindex(state, due)
          redis.call('ZREM', @openAccepted, @id)
          redis.call('ZREM', @openDeferred, @id)
          redis.call('ZREM', @openSending, @id)
          if state == 'accepted' then redis.call('ZADD', @openAccepted, due, @id)
          elseif state == 'deferred' then redis.call('ZADD', @openDeferred, due, @id)
          elseif state == 'sending' then redis.call('ZADD', @openSending, due, @id) end
        end

        """;

    /// <summary>
    /// An idempotency key's first message, or this one's when it is the first ("messageId|hash"). The key and the
    /// message live in different cluster slots (a repeat brings a new message id), so accepting is two scripts: this
    /// one, then <see cref="Create"/>.
    /// </summary>
    public static readonly LuaScript FirstOfKey = LuaScript.Prepare("""
        local first = redis.call('GET', @idem)
        if first then return {'repeat', first} end
        redis.call('SET', @idem, @mine, 'PX', @life)
        return {'created', @mine}
        """);

    /// <summary>
    /// A new message's status, unless one exists by now: a repeat that saw the key before the status was written has
    /// queued the message itself (TakeRequeue), so this request must not queue it again.
    /// </summary>
    public static readonly LuaScript Create = LuaScript.Prepare(Reindex + """
        if redis.call('EXISTS', @key) == 1 then return 0 end
        redis.call('HSET', @key, 'doc', @doc, 'state', 'accepted', 'requeue', @requeue)
        redis.call('PEXPIRE', @key, @retention)
        reindex('accepted', @due)
        return 1
        """);

    public static readonly LuaScript TakeRequeue = LuaScript.Prepare(Reindex + """
        local state = redis.call('HGET', @key, 'state')
        if state and state ~= @expected then return 0 end
        if @expected == 'accepted' and tonumber(redis.call('HGET', @key, 'requeue') or '0') > tonumber(@now) then return 0 end
        redis.call('HSET', @key, 'doc', @doc, 'state', @state, 'requeue', @requeue)
        redis.call('HDEL', @key, 'lease', 'owner')
        redis.call('PEXPIRE', @key, @retention)
        reindex(@state, @due)
        return 1
        """);

    /// <summary>
    /// A lease that ended: without a recorded call the message is simply taken ('claimed'); with one, 'retaken' while
    /// the window allows a repeat (window ≥ 0, in ms), else 'abandoned' (taken too, to be marked ambiguous).
    /// </summary>
    public static readonly LuaScript Claim = LuaScript.Prepare(Reindex + """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local state = redis.call('HGET', @key, 'state')
        if not state then
          redis.call('HSET', @key, 'doc', @missing, 'state', 'accepted')
          redis.call('PEXPIRE', @key, @retention)
          state = 'accepted'
        end
        local doc = redis.call('HGET', @key, 'doc')
        local called = redis.call('HGET', @key, 'called') or ''
        if state == 'sent' or state == 'failed' or state == 'ambiguous' or state == 'dropped' then return {'finished', doc, state, 0, '', called} end
        local outcome = 'claimed'
        if state == 'sending' then
          local lease = tonumber(redis.call('HGET', @key, 'lease') or '0')
          if lease > now then return {'inflight', doc, state, lease, redis.call('HGET', @key, 'owner') or '', called} end
          if called ~= '' then
            local window = tonumber(@window)
            if window >= 0 and tonumber(@now) < tonumber(called) + window then outcome = 'retaken' else outcome = 'abandoned' end
          end
        end
        redis.call('HSET', @key, 'state', 'sending', 'lease', now + tonumber(@lease), 'owner', @owner)
        reindex('sending', now + tonumber(@lease))
        return {outcome, doc, 'sending', now + tonumber(@lease), @owner, called}
        """);

    public static readonly LuaScript MarkCall = LuaScript.Prepare("""
        if redis.call('HGET', @key, 'state') ~= 'sending' or redis.call('HGET', @key, 'owner') ~= @owner then return {'notowner', 0} end
        local called = redis.call('HGET', @key, 'called')
        if not called then
          redis.call('HSET', @key, 'called', @now)
          return {'first', tonumber(@now)}
        end
        local window = tonumber(@window)
        if window >= 0 and tonumber(@now) < tonumber(called) + window then return {'repeat', tonumber(called)} end
        return {'passed', tonumber(called)}
        """);

    /// <summary>With an owner: only over that owner's claim (or a status that is gone); without: never over a claim.</summary>
    public static readonly LuaScript Save = LuaScript.Prepare(Reindex + """
        local state = redis.call('HGET', @key, 'state')
        if state == 'sending' then
          if @owner == '' or redis.call('HGET', @key, 'owner') ~= @owner then return 0 end
        elseif state and @owner ~= '' then
          return 0
        end
        redis.call('HSET', @key, 'doc', @doc, 'state', @state)
        if @state == 'sending' then
          if tonumber(@lease) > 0 then redis.call('HSET', @key, 'lease', @lease) end
          if @owner ~= '' then redis.call('HSET', @key, 'owner', @owner) end
        else
          redis.call('HDEL', @key, 'lease', 'owner')
        end
        if tonumber(@called) > 0 then redis.call('HSET', @key, 'called', @called) else redis.call('HDEL', @key, 'called') end
        redis.call('PEXPIRE', @key, @retention)
        reindex(@state, @due)
        return 1
        """);

    public static readonly LuaScript SaveIf = LuaScript.Prepare(Reindex + """
        if redis.call('HGET', @key, 'state') ~= @expected then return 0 end
        redis.call('HSET', @key, 'doc', @doc, 'state', @state)
        redis.call('HDEL', @key, 'lease', 'owner')
        redis.call('PEXPIRE', @key, @retention)
        reindex(@state, @due)
        return 1
        """);
}
