using LiteDB.Engine;

namespace PiHub.Storage.Auth;

/// <summary>
/// Keeps LiteDB engines that failed on a damaged file reachable for the rest of the process.
/// In LiteDB 5.0.21 a transaction interrupted by corrupt pages stays "active"; when the
/// garbage collector later finalizes it, its finalizer throws on the finalizer thread and
/// kills the whole process (seen in our corruption tests: "share counter must be &gt; 0 in
/// Release()"). A reachable object is never finalized, and .NET runs no finalizers at exit,
/// so holding the few engines that ever fail is the cheapest way to stay up.
/// </summary>
internal static class EngineQuarantine
{
    private static readonly List<LiteEngine> s_engines = [];

    /// <summary>How many engines are held (for tests).</summary>
    public static int Count
    {
        get
        {
            lock (s_engines) return s_engines.Count;
        }
    }

    public static void Keep(LiteEngine engine)
    {
        lock (s_engines) s_engines.Add(engine);
    }
}
