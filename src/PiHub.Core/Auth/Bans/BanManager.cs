using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Auth.Validation;

namespace PiHub.Core.Auth.Bans;

/// <summary>
/// Bans addresses, never usernames: 5 failures in 10 minutes ban an address for 15 minutes,
/// doubling on each repeat up to 24 hours, then expiring by themselves. Bans live in the auth
/// store (they survive a restart) and can be lifted without one. Allow-listed addresses are
/// never banned, so the hub's own console can always get in.
/// </summary>
public sealed class BanManager
{
    private readonly IAuthStore _store;
    private readonly BanOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Queue<Failure>> _failures = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    // Bans take effect the moment they are decided, before the store write completes, so the
    // request right after the fifth failure is already refused.
    private readonly ConcurrentDictionary<string, IpBan> _pending = new(StringComparer.Ordinal);

    public BanManager(IAuthStore store, BanOptions options, TimeProvider time, ILogger<BanManager> logger)
    {
        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Raised once per new ban (not per failure), e.g. to notify the owner.</summary>
    public event Func<IpBan, Task>? Banned;

    public BanOptions Options => _options;

    /// <summary>
    /// What failures are counted and bans are kept under: the IPv4 address (IPv4-mapped IPv6 becomes IPv4), or the
    /// IPv6 /64 — one host owns a whole /64 and could otherwise take a fresh address for every five guesses.
    /// </summary>
    public static string Key(IPAddress address) => ClientBudgetKey.Of(address);

    public bool IsAllowlisted(IPAddress address)
    {
        var a = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var n in _options.Allowlist)
        {
            if (n.Contains(a)) return true;
        }

        return false;
    }

    /// <summary>True (with the ban) while the address is banned.</summary>
    public bool IsBanned(IPAddress address, out IpBan ban)
    {
        var key = Key(address);
        var now = _time.GetUtcNow();
        if ((_pending.TryGetValue(key, out ban!) && ban.BannedUntil > now)
            || (_store.Current.Bans.TryGetValue(key, out ban!) && ban.BannedUntil > now && !IsAllowlisted(address)))
        {
            return true;
        }

        ban = null!;
        return false;
    }

    /// <summary>
    /// True while the address has a failed login/token/code counted in the last <see cref="BanOptions.Window"/>, or is
    /// banned. Read-only (changes no count): the password-check limiter serves addresses without failures first.
    /// </summary>
    public bool HasRecentFailures(IPAddress address)
    {
        if (IsBanned(address, out _)) return true;
        if (!_failures.TryGetValue(Key(address), out var queue)) return false;
        var now = _time.GetUtcNow();
        lock (queue)
        {
            foreach (var failure in queue)
            {
                if (now - failure.At <= _options.Window) return true;
            }
        }

        return false;
    }

    /// <summary>Bans that have not expired yet.</summary>
    public IReadOnlyList<IpBan> ActiveBans()
    {
        var now = _time.GetUtcNow();
        return _store.Current.Bans.Values.Where(b => !_pending.ContainsKey(b.Id)).Concat(_pending.Values)
            .Where(b => b.BannedUntil > now).OrderBy(b => b.BannedUntil).ToList();
    }

    /// <summary>
    /// Counts a failed login/token/code from an address; returns the new ban when this failure caused one.
    /// <paramref name="username"/> is the username tried, when there was one (see <see cref="RecordSuccess"/>).
    /// </summary>
    public async Task<IpBan?> RecordFailureAsync(IPAddress address, string reason, string? username = null,
        CancellationToken cancellationToken = default)
    {
        if (!_options.Enabled || IsAllowlisted(address)) return null;
        var key = Key(address);
        var now = _time.GetUtcNow();
        var queue = _failures.GetOrAdd(key, _ => new Queue<Failure>());
        int count;
        lock (queue)
        {
            while (queue.Count > 0 && now - queue.Peek().At > _options.Window) queue.Dequeue();
            queue.Enqueue(new Failure(now, username is null ? null : CredentialRules.NormalizeUsername(username)));
            count = queue.Count;
            if (count >= _options.Threshold) queue.Clear();
        }

        _logger.LogWarning("Failed authentication from {Address}: {Reason} ({Count} of {Threshold} in {Window})", key, reason, count, _options.Threshold, _options.Window);
        if (count < _options.Threshold || IsBanned(address, out _)) return null;
        var previous = _store.Current.Bans.GetValueOrDefault(key);
        var level = previous is not null && now - previous.BannedUntil < _options.RepeatMemory ? previous.Level + 1 : 1;
        var factor = Math.Pow(2, Math.Min(level - 1, 20));
        var duration = TimeSpan.FromTicks((long)Math.Min(_options.BaseDuration.Ticks * factor, _options.MaxDuration.Ticks));
        var ban = new IpBan { Id = key, BannedAt = now, BannedUntil = now + duration, Level = level, Reason = reason };
        _pending[key] = ban;
        await PersistAsync(ban, cancellationToken).ConfigureAwait(false);
        return ban;
    }

    /// <summary>
    /// A successful login resets the address's failure count — for the username it proved: failures recorded against
    /// that username from that address are forgotten, others stay. Otherwise logging in to one's own account between
    /// guesses would buy endless guesses at someone else's. Callers pass completed logins only (password, then the
    /// second factor): a password step still waiting for its code would otherwise reset the count of wrong codes, and
    /// a refresh-token grant proves no password at all. A null <paramref name="username"/> forgets every failure.
    /// </summary>
    public void RecordSuccess(IPAddress address, string? username = null)
    {
        var key = Key(address);
        if (username is null)
        {
            _failures.TryRemove(key, out _);
            return;
        }

        if (!_failures.TryGetValue(key, out var queue)) return;
        var proven = CredentialRules.NormalizeUsername(username);
        lock (queue)
        {
            var kept = queue.Where(f => f.Username != proven).ToList();
            queue.Clear();
            foreach (var failure in kept) queue.Enqueue(failure);
        }
    }

    /// <summary>Lifts a ban at once; false when the address was not banned.</summary>
    public async Task<bool> LiftAsync(string address, CancellationToken cancellationToken = default)
    {
        var key = IPAddress.TryParse(address, out var parsed) ? Key(parsed) : address;
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pending = _pending.TryRemove(key, out _);
            if (!_store.Current.Bans.ContainsKey(key)) return pending;
            await _store.CommitAsync(new AuthChangeSet($"lift ban of {key}").Delete(AuthRecordKind.Ban, key), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }

        _failures.TryRemove(key, out _);
        _logger.LogInformation("Ban of {Address} lifted", key);
        return true;
    }

    /// <summary>The sentence a banned client reads.</summary>
    public static string Describe(IpBan ban) =>
        $"This address ({ban.Id}) is banned until {ban.BannedUntil.UtcDateTime:yyyy-MM-dd HH:mm} UTC after repeated failed logins. " +
        "The ban ends by itself; an admin can lift it sooner with the WebSocket command pihub/bans/lift " +
        $"{{\"address\": \"{ban.Id}\"}} (the hub's own console is never banned), or with `pihub-cli bans lift {ban.Id}` on the hub.";

    /// <summary>One counted failure: when, and the (normalised) username tried, if any.</summary>
    private readonly record struct Failure(DateTimeOffset At, string? Username);

    private async Task PersistAsync(IpBan ban, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            var changes = new AuthChangeSet($"ban {ban.Id}").Put(ban);
            // Expired bans beyond the repeat memory are forgotten in the same transaction.
            foreach (var old in _store.Current.Bans.Values.Where(b => b.Id != ban.Id && now - b.BannedUntil > _options.RepeatMemory))
            {
                changes.Delete(old);
            }

            // If this write fails the ban still holds in memory until it ends; the error reaches the caller.
            await _store.CommitAsync(changes, cancellationToken).ConfigureAwait(false);
            _pending.TryRemove(new KeyValuePair<string, IpBan>(ban.Id, ban));
        }
        finally
        {
            _writeGate.Release();
        }

        _logger.LogWarning("Banned {Address} until {Until} (ban #{Level}): {Reason}", ban.Id, ban.BannedUntil, ban.Level, ban.Reason);
        await NotifyAsync(ban).ConfigureAwait(false);
    }

    private async Task NotifyAsync(IpBan ban)
    {
        if (Banned is null) return;
        try
        {
            await Banned.Invoke(ban).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Best effort: a failed notification never undoes or blocks a ban.
            _logger.LogError(ex, "Could not notify the owner about the ban of {Address}", ban.Id);
        }
    }
}
