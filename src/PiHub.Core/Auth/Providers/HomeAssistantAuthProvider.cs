using PiHub.Core.Auth.Flows;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Auth.Validation;

namespace PiHub.Core.Auth.Providers;

/// <summary>
/// Home Assistant's local provider (<c>homeassistant</c>): username and password checked against the
/// credentials in the auth store. An unknown username costs the same hash time as a known one.
/// </summary>
public sealed class HomeAssistantAuthProvider : AuthProvider
{
    /// <summary>The provider type key.</summary>
    public const string ProviderType = "homeassistant";

    private static readonly IReadOnlyList<FormField> s_schema =
        [new FormField("username", "string"), new FormField("password", "string")];

    private readonly PasswordHasher _hasher;

    /// <summary>Creates the provider over the shared hasher.</summary>
    public HomeAssistantAuthProvider(PasswordHasher hasher) => _hasher = hasher;

    /// <inheritdoc/>
    public override string Type => ProviderType;

    /// <inheritdoc/>
    public override string Name => "Home Assistant Local";

    /// <inheritdoc/>
    public override ValueTask<LoginStepOutcome> StartAsync(LoginFlowContext context, AuthData data,
        CancellationToken cancellationToken) => ValueTask.FromResult(LoginStepOutcome.Form("init", s_schema));

    /// <inheritdoc/>
    public override ValueTask<LoginStepOutcome> HandleStepAsync(LoginFlowContext context, string stepId,
        IReadOnlyDictionary<string, string> input, AuthData data, CancellationToken cancellationToken)
    {
        input.TryGetValue("username", out var username);
        input.TryGetValue("password", out var password);
        var credentialId = CheckPassword(data, username ?? "", password ?? "");
        if (credentialId is null)
        {
            return ValueTask.FromResult(LoginStepOutcome.Form("init", s_schema,
                new Dictionary<string, string> { ["base"] = "invalid_auth" }));
        }

        var credential = data.Credentials[credentialId];
        var upgraded = _hasher.NeedsRehash(credential.PasswordHash) ? _hasher.Hash(password!) : null;
        return ValueTask.FromResult(LoginStepOutcome.Authenticated(credential.UserId, credential.Id, upgraded));
    }

    /// <summary>
    /// Returns the id of the credential matching the username and password, or null. Always spends
    /// one full hash, whether or not the username exists.
    /// </summary>
    public string? CheckPassword(AuthData data, string username, string password)
    {
        var normalized = CredentialRules.NormalizeUsername(username);
        var credential = normalized.Length == 0
            ? null
            : data.Credentials.Values.FirstOrDefault(c => c.ProviderType == ProviderType && c.Username == normalized);
        if (credential is null)
        {
            _hasher.VerifyDummy(password);
            return null;
        }

        return _hasher.Verify(password, credential.PasswordHash) ? credential.Id : null;
    }
}
