namespace PiHub.Core.Auth.Providers;

/// <summary>The configured providers, looked up by (type, id) as Home Assistant's <c>handler</c> pair names them.</summary>
public sealed class AuthProviderRegistry
{
    private readonly List<AuthProvider> _providers;

    /// <summary>Creates the registry; (type, id) pairs must be unique.</summary>
    public AuthProviderRegistry(IEnumerable<AuthProvider> providers)
    {
        _providers = [.. providers];
        var duplicate = _providers.GroupBy(p => (p.Type, p.Id)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException(
                $"Auth provider {duplicate.Key.Type}/{duplicate.Key.Id ?? "(default)"} is configured twice; remove one.",
                nameof(providers));
        }
    }

    /// <summary>Every provider, in configuration order.</summary>
    public IReadOnlyList<AuthProvider> All => _providers;

    /// <summary>Finds a provider; a null or empty id means the default instance of the type.</summary>
    public AuthProvider? Find(string type, string? id) =>
        _providers.FirstOrDefault(p => p.Type == type && p.Id == (string.IsNullOrEmpty(id) ? null : id));
}
