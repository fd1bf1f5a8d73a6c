using System.Reflection;
using StackExchange.Redis;

namespace WecomBridge.Tests.Cluster;

/// <summary>
/// A connection whose databases record the keys of every command that names more than one key (a script's KEYS,
/// or the RedisKey members of a prepared LuaScript's parameters; MGET, DEL of many, …) before passing it on.
/// </summary>
public class RecordingRedis : DispatchProxy
{
    private object _target = null!;
    private List<(string Command, RedisKey[] Keys)> _calls = null!;

    public static IConnectionMultiplexer Wrap(IConnectionMultiplexer target, List<(string, RedisKey[])> calls)
    {
        var proxy = Create<IConnectionMultiplexer, RecordingRedis>();
        ((RecordingRedis)(object)proxy)._target = target;
        ((RecordingRedis)(object)proxy)._calls = calls;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        if (_target is IConnectionMultiplexer multiplexer && method!.Name == nameof(IConnectionMultiplexer.GetDatabase))
        {
            var database = Create<IDatabase, RecordingRedis>();
            ((RecordingRedis)(object)database)._target = multiplexer.GetDatabase();
            ((RecordingRedis)(object)database)._calls = _calls;
            return database;
        }
        var keys = (args ?? []).SelectMany(KeysOf).ToArray();
        if (keys.Length > 1) lock (_calls) _calls.Add((method!.Name, keys));
        try
        {
            return method!.Invoke(_target, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    private static IEnumerable<RedisKey> KeysOf(object? arg) => arg switch
    {
        RedisKey key => [key],
        RedisKey[] keys => keys,
        null or string or RedisValue or RedisValue[] or LuaScript or LoadedLuaScript or Enum or ValueType => [],
        _ => arg.GetType().GetProperties().Where(p => p.PropertyType == typeof(RedisKey)).Select(p => (RedisKey)p.GetValue(arg)!),
    };
}
