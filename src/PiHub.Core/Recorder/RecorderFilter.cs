namespace PiHub.Core.Recorder;

/// <summary>
/// <c>recorder.include</c> / <c>recorder.exclude</c>, with Home Assistant's precedence: an entity
/// listed by id wins over its domain (an included entity is kept even in an excluded domain, an
/// excluded one is dropped even in an included domain); then an excluded domain is dropped and an
/// included domain kept; anything else is kept only when nothing at all is included.
/// Event types in <see cref="ExcludeEventTypes"/> are never recorded.
/// </summary>
public sealed class RecorderFilter
{
    /// <summary>Records everything.</summary>
    public static readonly RecorderFilter All = new([], [], [], [], []);

    private readonly HashSet<string> _includeDomains;
    private readonly HashSet<string> _includeEntities;
    private readonly HashSet<string> _excludeDomains;
    private readonly HashSet<string> _excludeEntities;
    private readonly HashSet<string> _excludeEventTypes;

    public RecorderFilter(
        IEnumerable<string> includeDomains, IEnumerable<string> includeEntities,
        IEnumerable<string> excludeDomains, IEnumerable<string> excludeEntities, IEnumerable<string> excludeEventTypes)
    {
        _includeDomains = new HashSet<string>(includeDomains, StringComparer.Ordinal);
        _includeEntities = new HashSet<string>(includeEntities, StringComparer.Ordinal);
        _excludeDomains = new HashSet<string>(excludeDomains, StringComparer.Ordinal);
        _excludeEntities = new HashSet<string>(excludeEntities, StringComparer.Ordinal);
        _excludeEventTypes = new HashSet<string>(excludeEventTypes, StringComparer.Ordinal);
    }

    public IReadOnlyCollection<string> IncludeDomains => _includeDomains;

    public IReadOnlyCollection<string> IncludeEntities => _includeEntities;

    public IReadOnlyCollection<string> ExcludeDomains => _excludeDomains;

    public IReadOnlyCollection<string> ExcludeEntities => _excludeEntities;

    public IReadOnlyCollection<string> ExcludeEventTypes => _excludeEventTypes;

    /// <summary>True when the state changes of <paramref name="entityId"/> are recorded.</summary>
    public bool Records(string entityId)
    {
        if (_includeEntities.Contains(entityId)) return true;
        if (_excludeEntities.Contains(entityId)) return false;
        var domain = Hub.EntityId.DomainOf(entityId);
        if (_excludeDomains.Contains(domain)) return false;
        if (_includeDomains.Contains(domain)) return true;
        return _includeDomains.Count == 0 && _includeEntities.Count == 0;
    }

    /// <summary>True when events of this type are recorded (<c>state_changed</c> is recorded as states, never as an event).</summary>
    public bool RecordsEvent(string eventType) => !_excludeEventTypes.Contains(eventType);
}
