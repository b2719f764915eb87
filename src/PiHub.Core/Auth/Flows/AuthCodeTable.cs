using System.Diagnostics.CodeAnalysis;
using System.Net;
using PiHub.Core.Auth.Validation;

namespace PiHub.Core.Auth.Flows;

/// <summary>
/// The auth codes waiting to be exchanged, bounded three times: per client (address, or IPv6 /64; see
/// <see cref="ClientBudgetKey"/>), per user, and hub-wide. A new code is never refused: a client over its budget loses
/// its own oldest code, a user over theirs loses their own oldest, and a full table loses the oldest code of the client
/// holding the most — so no address or account can take another's room, and the owner from another address always gets
/// a code. A client exchanges its code within a second of receiving it, so only a hoarder ever loses one. Expired codes
/// are pruned whenever room is needed.
/// </summary>
internal sealed class AuthCodeTable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _codes = new(StringComparer.Ordinal);

    // Each client's and each user's codes, oldest first.
    private readonly Dictionary<string, LinkedList<Entry>> _byClient = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LinkedList<Entry>> _byUser = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private readonly int _perClient;
    private readonly int _perUser;

    public AuthCodeTable(int capacity, int perClient, int perUser)
    {
        _capacity = Math.Max(1, capacity);
        _perClient = Math.Clamp(perClient, 1, _capacity);
        _perUser = Math.Clamp(perUser, 1, _capacity);
    }

    /// <summary>Adds <paramref name="code"/>, issued to <paramref name="client"/>, always (see the class summary).</summary>
    public void Add(string code, PendingAuthCode pending, IPAddress? client, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        var clientKey = ClientBudgetKey.Of(client);
        lock (_gate)
        {
            var mine = ListOf(_byClient, clientKey);
            PruneExpired(mine, now);
            while (mine.Count >= _perClient) RemoveLocked(mine.First!.Value.Code);

            var users = ListOf(_byUser, pending.UserId);
            PruneExpired(users, now);
            while (users.Count >= _perUser) RemoveLocked(users.First!.Value.Code);

            if (_codes.Count >= _capacity)
            {
                foreach (var list in _byClient.Values.ToList()) PruneExpired(list, now);
                if (_codes.Count >= _capacity) RemoveLocked(Largest().First!.Value.Code);
            }

            // Removals may have dropped an emptied list from its dictionary.
            _byClient[clientKey] = mine;
            _byUser[pending.UserId] = users;
            var entry = new Entry(code, pending, clientKey, expiresAt);
            entry.ByClient = mine.AddLast(entry);
            entry.ByUser = users.AddLast(entry);
            _codes[code] = entry;
        }
    }

    /// <summary>Removes and returns a live code (single use); an expired one is removed and not returned.</summary>
    public bool TryTake(string code, DateTimeOffset now, [NotNullWhen(true)] out PendingAuthCode? pending)
    {
        lock (_gate)
        {
            pending = null;
            if (!_codes.TryGetValue(code, out var entry)) return false;
            RemoveLocked(code);
            if (entry.ExpiresAt <= now) return false;
            pending = entry.Pending;
            return true;
        }
    }

    private static LinkedList<Entry> ListOf(Dictionary<string, LinkedList<Entry>> lists, string key)
    {
        if (!lists.TryGetValue(key, out var list)) lists[key] = list = new LinkedList<Entry>();
        return list;
    }

    private void RemoveLocked(string code)
    {
        if (!_codes.Remove(code, out var entry)) return;
        Unlink(_byClient, entry.ClientKey, entry.ByClient!);
        Unlink(_byUser, entry.Pending.UserId, entry.ByUser!);
    }

    private static void Unlink(Dictionary<string, LinkedList<Entry>> lists, string key, LinkedListNode<Entry> node)
    {
        var list = node.List!;
        list.Remove(node);
        if (list.Count == 0) lists.Remove(key);
    }

    private void PruneExpired(LinkedList<Entry> list, DateTimeOffset now)
    {
        // Every code lives equally long, so a list's codes also expire oldest first.
        while (list.First is { } oldest && oldest.Value.ExpiresAt <= now) RemoveLocked(oldest.Value.Code);
    }

    private LinkedList<Entry> Largest()
    {
        LinkedList<Entry>? largest = null;
        foreach (var list in _byClient.Values)
        {
            if (largest is null || list.Count > largest.Count) largest = list;
        }

        return largest!;
    }

    private sealed class Entry(string code, PendingAuthCode pending, string clientKey, DateTimeOffset expiresAt)
    {
        public string Code { get; } = code;

        public PendingAuthCode Pending { get; } = pending;

        public string ClientKey { get; } = clientKey;

        public DateTimeOffset ExpiresAt { get; } = expiresAt;

        public LinkedListNode<Entry>? ByClient { get; set; }

        public LinkedListNode<Entry>? ByUser { get; set; }
    }
}
