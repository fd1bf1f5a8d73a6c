using System.Text;

namespace WecomBridge.Storage;

/// <summary>
/// Where the stores' keys live in a Redis Cluster. A cluster runs a script or a multi-key command only when all its
/// keys hash to one slot: CRC16 of the key's hash tag (the text between its first '{' and the next '}', when that is
/// not empty), else of the whole key, modulo 16384. Each store builds the keys of one script around one tag, chosen
/// per corp, scope or message shard so that the load spreads over the masters. A single Redis ignores the tags.
/// </summary>
internal static class RedisSlots
{
    public const int SlotCount = 16384;

    /// <summary>"{value}": keys that contain the same tag first share its slot.</summary>
    public static string Tag(string value) => "{" + value + "}";

    /// <summary>
    /// A tag that puts another key into the slot of <paramref name="key"/>, whatever that key's name (so that an existing
    /// key keeps its name). A hash part with a '}' cannot be a tag: such keys stay in two slots.
    /// </summary>
    public static string SlotOf(string key) => Tag(HashPart(key));

    /// <summary>One of <paramref name="shards"/> tags ("{m07}"), the same for an id on every instance and version.</summary>
    public static string Shard(string prefix, string id, int shards) =>
        Tag(prefix + (Fnv1A(id) % (uint)shards).ToString("D2", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The part of a key its slot is computed from.</summary>
    public static string HashPart(string key)
    {
        var open = key.IndexOf('{');
        if (open < 0) return key;
        var close = key.IndexOf('}', open + 1);
        return close > open + 1 ? key[(open + 1)..close] : key;
    }

    /// <summary>The key's cluster slot, as Redis computes it (CRC16-XMODEM of the hash part's UTF-8 bytes).</summary>
    public static int Slot(string key)
    {
        ushort crc = 0;
        foreach (var b in Encoding.UTF8.GetBytes(HashPart(key)))
        {
            crc ^= (ushort)(b << 8);
            for (var bit = 0; bit < 8; bit++) crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
        }
        return crc % SlotCount;
    }

    private static uint Fnv1A(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value) hash = (hash ^ c) * 16777619u;
        return hash;
    }
}
