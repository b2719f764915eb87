namespace PiHub.Core.Auth.Mfa;

/// <summary>The MFA modules, looked up by <see cref="MfaModule.Id"/> as Home Assistant's <c>mfa_module_id</c> names them.</summary>
public sealed class MfaModuleRegistry
{
    private readonly List<MfaModule> _modules;

    /// <summary>Creates the registry; ids must be unique.</summary>
    public MfaModuleRegistry(IEnumerable<MfaModule> modules)
    {
        _modules = [.. modules];
        var duplicate = _modules.GroupBy(m => m.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"MFA module \"{duplicate.Key}\" is registered twice; remove one.", nameof(modules));
        }
    }

    /// <summary>Every module, in registration order.</summary>
    public IReadOnlyList<MfaModule> All => _modules;

    /// <summary>The module with this id, or null.</summary>
    public MfaModule? Find(string? id) => _modules.FirstOrDefault(m => string.Equals(m.Id, id, StringComparison.Ordinal));

    /// <summary>The first module the user has enabled, which the login flow asks for; null when none is.</summary>
    public MfaModule? FirstEnabledFor(string userId) => _modules.FirstOrDefault(m => m.IsEnabledFor(userId));
}
