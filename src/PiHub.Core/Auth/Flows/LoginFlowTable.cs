using System.Diagnostics.CodeAnalysis;
using PiHub.Core.Auth.Validation;

namespace PiHub.Core.Auth.Flows;

/// <summary>
/// The open login flows, bounded twice: per client (address, or IPv6 /64; see <see cref="ClientBudgetKey"/>) and
/// hub-wide. A client over its bound loses its own oldest flow, so no client can take another's slots; a full table
/// loses the oldest flow of the client holding the most, so a newcomer always gets one. Expired flows are pruned
/// whenever room is needed.
/// </summary>
internal sealed class LoginFlowTable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (PendingFlow Flow, LinkedListNode<PendingFlow> Node)> _flows = new(StringComparer.Ordinal);

    // Each client's flows, oldest first.
    private readonly Dictionary<string, LinkedList<PendingFlow>> _byClient = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private readonly int _perClient;

    public LoginFlowTable(int capacity, int perClient)
    {
        _capacity = Math.Max(1, capacity);
        _perClient = Math.Clamp(perClient, 1, _capacity);
    }

    /// <summary>
    /// Adds a flow, always. Returns false when its client already held its bound of live flows: the oldest of them
    /// made room, and the caller counts the start like a failed attempt.
    /// </summary>
    public bool Add(PendingFlow flow, DateTimeOffset now)
    {
        var key = ClientBudgetKey.Of(flow.Context.ClientAddress);
        lock (_gate)
        {
            if (!_byClient.TryGetValue(key, out var mine)) _byClient[key] = mine = new LinkedList<PendingFlow>();
            PruneExpired(mine, now);
            var withinBound = mine.Count < _perClient;
            while (mine.Count >= _perClient) RemoveLocked(mine.First!.Value.Context.FlowId);

            if (_flows.Count >= _capacity)
            {
                foreach (var list in _byClient.Values.ToList()) PruneExpired(list, now);
                if (_flows.Count >= _capacity) RemoveLocked(Largest().First!.Value.Context.FlowId);
            }

            if (!_byClient.ContainsKey(key)) _byClient[key] = mine; // pruning may have dropped the emptied list
            _flows[flow.Context.FlowId] = (flow, mine.AddLast(flow));
            return withinBound;
        }
    }

    /// <summary>Finds a live flow; an expired one is removed and not returned.</summary>
    public bool TryGet(string flowId, DateTimeOffset now, [NotNullWhen(true)] out PendingFlow? flow)
    {
        lock (_gate)
        {
            flow = null;
            if (!_flows.TryGetValue(flowId, out var entry)) return false;
            if (entry.Flow.ExpiresAt <= now)
            {
                RemoveLocked(flowId);
                return false;
            }

            flow = entry.Flow;
            return true;
        }
    }

    public void Remove(string flowId)
    {
        lock (_gate) RemoveLocked(flowId);
    }

    private void RemoveLocked(string flowId)
    {
        if (!_flows.Remove(flowId, out var entry)) return;
        var list = entry.Node.List!;
        list.Remove(entry.Node);
        if (list.Count == 0) _byClient.Remove(ClientBudgetKey.Of(entry.Flow.Context.ClientAddress));
    }

    private void PruneExpired(LinkedList<PendingFlow> list, DateTimeOffset now)
    {
        // Every flow lives equally long, so a client's flows also expire oldest first.
        while (list.First is { } oldest && oldest.Value.ExpiresAt <= now) RemoveLocked(oldest.Value.Context.FlowId);
    }

    private LinkedList<PendingFlow> Largest()
    {
        LinkedList<PendingFlow>? largest = null;
        foreach (var list in _byClient.Values)
        {
            if (largest is null || list.Count > largest.Count) largest = list;
        }

        return largest!;
    }
}
