using System.Net;
using PiHub.Core.Auth.Validation;

namespace PiHub.Server.Auth;

/// <summary>
/// Password hashing (PBKDF2, 600,000 rounds) must neither exhaust the Pi's CPU nor let one client starve the others:
/// at most one hash per core runs at a time, each client (address, or IPv6 /64) runs at most one and queues a few
/// more, and when a slot frees the clients waiting take turns (round robin), so a flood from one address delays
/// another address by at most one hash per flooding client. Clients with no recent failed check (see the constructor)
/// are served before those with one, round robin within each class: guessing never delays a clean client by more than
/// the hash already running on each core. Beyond its queue a client is refused at once (429).
/// Shared by every password or code check: login steps, owner creation, and the WebSocket commands that re-check a
/// password.
/// </summary>
public sealed class PasswordCheckLimiter
{
    /// <summary>Checks a client may have waiting behind its running one.</summary>
    public const int QueuePerClient = 4;

    /// <summary>Checks waiting hub-wide, whoever they come from: a memory bound, reached only by 64+ busy clients.</summary>
    public const int MaxQueued = 256;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Client> _clients = new(StringComparer.Ordinal);

    // Clients with a check waiting and none running, in the order they get the next free slot: those without recent
    // failures first, then those with.
    private readonly LinkedList<Client> _cleanTurns = new();
    private readonly LinkedList<Client> _failedTurns = new();
    private readonly Func<IPAddress?, bool> _hasFailed;
    private readonly int _concurrency;
    private int _running;
    private int _queued;

    /// <summary>
    /// Creates the limiter; <paramref name="concurrency"/> defaults to one check per core. <paramref name="hasFailed"/>
    /// tells whether a client recently failed a check (the ban manager's count); asked when the client joins the turns.
    /// </summary>
    public PasswordCheckLimiter(int? concurrency = null, Func<IPAddress?, bool>? hasFailed = null)
    {
        _concurrency = Math.Max(1, concurrency ?? Environment.ProcessorCount);
        _hasFailed = hasFailed ?? (static _ => false);
    }

    /// <summary>
    /// Waits for this client's turn at a check. Null when the client (or the hub) already has too many checks waiting:
    /// answer 429 with Retry-After. Dispose the returned lease when the check is over.
    /// </summary>
    public async ValueTask<IDisposable?> AcquireAsync(IPAddress? client, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_gate)
        {
            var key = ClientBudgetKey.Of(client);
            if (!_clients.TryGetValue(key, out var entry)) _clients[key] = entry = new Client(key, client);
            if (!entry.Running && _running < _concurrency)
            {
                // A free slot means nobody is waiting for one: waiters are handed slots as soon as they free up.
                Start(entry);
                return new Lease(this, entry);
            }

            if (entry.Waiting.Count >= QueuePerClient || _queued >= MaxQueued)
            {
                if (!entry.Running && entry.Waiting.Count == 0) _clients.Remove(key);
                return null;
            }

            waiter = new Waiter(this, entry);
            waiter.Node = entry.Waiting.AddLast(waiter);
            _queued++;
            if (!entry.Running && entry.Turn is null) JoinTurns(entry);
        }

        await using (cancellationToken.Register(static w => ((Waiter)w!).Limiter.Cancel((Waiter)w), waiter))
        {
            await waiter.Granted.Task.ConfigureAwait(false);
        }

        return new Lease(this, waiter.Client);
    }

    // Called under the gate; the class is decided now, after the client's previous check (if any) was counted.
    private void JoinTurns(Client client) =>
        client.Turn = (_hasFailed(client.Address) ? _failedTurns : _cleanTurns).AddLast(client);

    private void Start(Client client)
    {
        client.Running = true;
        _running++;
    }

    private void Release(Client client)
    {
        lock (_gate)
        {
            client.Running = false;
            _running--;
            if (client.Waiting.Count > 0) JoinTurns(client); // behind everyone already waiting in its class
            else _clients.Remove(client.Key);
            while (_running < _concurrency && (_cleanTurns.First ?? _failedTurns.First) is { } next)
            {
                next.List!.Remove(next);
                var turn = next.Value;
                turn.Turn = null;
                var waiter = turn.Waiting.First!.Value;
                turn.Waiting.RemoveFirst();
                _queued--;
                Start(turn);
                waiter.Granted.TrySetResult();
            }
        }
    }

    private void Cancel(Waiter waiter)
    {
        lock (_gate)
        {
            if (waiter.Granted.Task.IsCompleted) return; // granted meanwhile: the lease is released by its owner
            waiter.Client.Waiting.Remove(waiter.Node!);
            _queued--;
            if (waiter.Client.Waiting.Count == 0)
            {
                if (waiter.Client.Turn is { } turn) turn.List!.Remove(turn);
                waiter.Client.Turn = null;
                if (!waiter.Client.Running) _clients.Remove(waiter.Client.Key);
            }
        }

        waiter.Granted.TrySetCanceled();
    }

    private sealed class Client(string key, IPAddress? address)
    {
        public string Key { get; } = key;

        /// <summary>The address the client first came from (all its addresses share <see cref="Key"/>).</summary>
        public IPAddress? Address { get; } = address;

        public bool Running { get; set; }

        public LinkedList<Waiter> Waiting { get; } = new();

        /// <summary>This client's place in the turns while it waits with nothing running.</summary>
        public LinkedListNode<Client>? Turn { get; set; }
    }

    private sealed class Waiter(PasswordCheckLimiter limiter, Client client)
    {
        public PasswordCheckLimiter Limiter { get; } = limiter;

        public Client Client { get; } = client;

        public LinkedListNode<Waiter>? Node { get; set; }

        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Lease(PasswordCheckLimiter limiter, Client client) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) limiter.Release(client);
        }
    }
}
