using System.Net;
using PiHub.Core.Auth.Flows;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Auth.TrustedNetworks;

namespace PiHub.Core.Auth.Providers;

/// <summary>
/// Home Assistant's <c>trusted_networks</c> provider: offered only to callers whose resolved address lies in a
/// configured network. Its form is one <c>user</c> select listing exactly the users that network allows; with
/// <c>allow_bypass_login</c> and a single allowed user the flow completes at once. The auth code, and so the
/// refresh token, records the network's CIDR, and every refresh is checked against it.
/// </summary>
public sealed class TrustedNetworksAuthProvider : AuthProvider
{
    /// <summary>The provider type key.</summary>
    public const string ProviderType = "trusted_networks";

    /// <summary>The form field holding the chosen user id.</summary>
    public const string UserField = "user";

    private readonly TrustedNetworkTable _networks;

    /// <summary>Creates the provider over the configured networks.</summary>
    public TrustedNetworksAuthProvider(TrustedNetworkTable networks) =>
        _networks = networks ?? throw new ArgumentNullException(nameof(networks));

    /// <inheritdoc/>
    public override string Type => ProviderType;

    /// <inheritdoc/>
    public override string Name => "Trusted Networks";

    /// <inheritdoc/>
    public override bool IsAvailableTo(IPAddress? clientAddress) => _networks.Match(clientAddress) is not null;

    /// <inheritdoc/>
    public override ValueTask<LoginStepOutcome> StartAsync(LoginFlowContext context, AuthData data,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var network = _networks.Match(context.ClientAddress);
        if (network is null) return ValueTask.FromResult(LoginStepOutcome.Abort("not_allowed"));

        context.SkipMfa = network.SkipMfa;
        var users = TrustedNetworkTable.AllowedUsers(data, network);
        if (users.Count == 0) return ValueTask.FromResult(LoginStepOutcome.Abort("no_allowed_users"));
        if (network.AllowBypassLogin && users.Count == 1)
        {
            return ValueTask.FromResult(LoginStepOutcome.Authenticated(users[0].Id, null, trustedNetwork: network.Cidr));
        }

        return ValueTask.FromResult(Form(users));
    }

    /// <inheritdoc/>
    public override ValueTask<LoginStepOutcome> HandleStepAsync(LoginFlowContext context, string stepId,
        IReadOnlyDictionary<string, string> input, AuthData data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        // The flow is bound to one address, but the configuration is read again: the answer must match now.
        var network = _networks.Match(context.ClientAddress);
        if (network is null) return ValueTask.FromResult(LoginStepOutcome.Abort("not_allowed"));

        context.SkipMfa = network.SkipMfa;
        var users = TrustedNetworkTable.AllowedUsers(data, network);
        input.TryGetValue(UserField, out var chosen);
        var user = users.FirstOrDefault(u => u.Id == chosen);
        if (user is null)
        {
            return ValueTask.FromResult(Form(users, new Dictionary<string, string> { ["base"] = "invalid_auth" }));
        }

        return ValueTask.FromResult(LoginStepOutcome.Authenticated(user.Id, null, trustedNetwork: network.Cidr));
    }

    private static LoginStepOutcome Form(IReadOnlyList<Model.User> users, IReadOnlyDictionary<string, string>? errors = null) =>
        LoginStepOutcome.Form("init",
            [new FormField(UserField, "select") { Options = [.. users.Select(u => new KeyValuePair<string, string>(u.Id, u.Name))] }],
            errors);
}
