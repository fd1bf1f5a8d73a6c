using System.Security.Cryptography;

namespace WecomBridge.Fakes.Server;

/// <summary>Access tokens: one per owner (corp+secret or appid), reissued only once expired.</summary>
internal sealed class TokenStore(TimeProvider time, TimeSpan lifetime, int unknownTokenCode)
{
    private readonly Dictionary<string, (string Owner, DateTimeOffset Expires)> _tokens = [];

    public TimeSpan Lifetime => lifetime;

    public (string Token, int ExpiresIn) Issue(string owner, bool forceNew = false)
    {
        lock (_tokens)
        {
            var now = time.GetUtcNow();
            var live = _tokens.FirstOrDefault(t => t.Value.Owner == owner && t.Value.Expires > now);
            if (live.Key is not null && !forceNew)
                return (live.Key, (int)(live.Value.Expires - now).TotalSeconds);
            var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)).Replace('+', '-').Replace('/', '_');
            _tokens[token] = (owner, now + lifetime);
            return (token, (int)lifetime.TotalSeconds);
        }
    }

    /// <summary>0 when valid; 41001 missing, 42001 expired, or the fake's code for an unknown token.</summary>
    public int Check(string? token)
    {
        if (string.IsNullOrEmpty(token)) return 41001;
        lock (_tokens)
        {
            if (!_tokens.TryGetValue(token, out var entry)) return unknownTokenCode;
            return entry.Expires > time.GetUtcNow() ? 0 : 42001;
        }
    }

    /// <summary>The owner a token was issued to (corp id/secret, or appid), expired or not; null when unknown.</summary>
    public string? OwnerOf(string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        lock (_tokens) return _tokens.TryGetValue(token, out var entry) ? entry.Owner : null;
    }

    /// <summary>Every issued token expires now: the next calls get 42001.</summary>
    public void ExpireAll()
    {
        lock (_tokens)
        {
            var now = time.GetUtcNow();
            foreach (var key in _tokens.Keys.ToArray()) _tokens[key] = (_tokens[key].Owner, now);
        }
    }

    /// <summary>Every issued token is forgotten: the next calls get the unknown-token code (40014 on WeCom).</summary>
    public void RevokeAll()
    {
        lock (_tokens) _tokens.Clear();
    }
}
