using System.Net;
using PiHub.Core.Auth.Flows;
using Microsoft.Extensions.Logging;
using PiHub.Core.Auth.Providers;
using PiHub.Core.Auth.Storage;
using PiHub.Core.Auth.Tokens;
using PiHub.Core.Auth.Validation;

namespace PiHub.Core.Auth;

public sealed partial class AuthManager
{
    /// <summary>The providers offered to a caller at this address (HA's <c>/auth/providers</c>).</summary>
    public IReadOnlyList<AuthProvider> GetProviders(IPAddress? clientAddress)
    {
        EnsureOnboarded();
        return [.. _providers.All.Where(p => p.IsAvailableTo(clientAddress))];
    }

    /// <summary>
    /// Starts a login flow with the provider (<paramref name="handlerType"/>, <paramref name="handlerId"/>).
    /// The flow lives in memory for <see cref="AuthOptions.LoginFlowLifetime"/> and only accepts steps
    /// from <paramref name="clientAddress"/>.
    /// </summary>
    public async Task<LoginFlowResult> StartLoginFlowAsync(string clientId, string handlerType, string? handlerId,
        string? redirectUri, IPAddress? clientAddress, CancellationToken cancellationToken = default)
    {
        EnsureOnboarded();
        ClientIdRules.EnsureValidClientId(clientId);
        if (redirectUri is not null && !ClientIdRules.IsValidRedirectUri(clientId, redirectUri))
        {
            throw new AuthException(AuthErrorCodes.InvalidRequest,
                "Invalid redirect_uri: it must be on the same scheme, host and port as the client_id.");
        }

        var provider = _providers.Find(handlerType, handlerId);
        if (provider is null || !provider.IsAvailableTo(clientAddress))
        {
            throw new AuthException(AuthErrorCodes.NotFound,
                $"Invalid handler specified: no login provider [\"{handlerType}\", {(handlerId is null ? "null" : $"\"{handlerId}\"")}] " +
                "is offered to this address; GET /auth/providers lists the ones that are.");
        }

        var context = new LoginFlowContext(Secrets.NewId(), clientId, redirectUri, Canonical(clientAddress));
        var flow = new PendingFlow(context, provider, "init", Now + _options.LoginFlowLifetime);
        var outcome = await provider.StartAsync(context, _store.Current, cancellationToken).ConfigureAwait(false);
        return Conclude(flow, outcome, isNew: true);
    }

    /// <summary>
    /// Answers the current step of a flow. Wrong credentials give the form again with
    /// <c>errors.base = invalid_auth</c>; success gives <c>create_entry</c> whose result is an auth code.
    /// </summary>
    public async Task<LoginFlowResult> ContinueLoginFlowAsync(string flowId, string clientId,
        IReadOnlyDictionary<string, string> input, IPAddress? clientAddress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!_flows.TryGet(flowId ?? "", Now, out var flow))
        {
            throw new AuthException(AuthErrorCodes.NotFound,
                "Invalid flow specified: the login flow is unknown, finished or older than " +
                $"{_options.LoginFlowLifetime.TotalMinutes:0} minutes. Start a new one with POST /auth/login_flow.");
        }

        if (!string.Equals(clientId, flow.Context.ClientId, StringComparison.Ordinal))
        {
            throw new AuthException(AuthErrorCodes.InvalidRequest,
                "Invalid client id: send the same client_id that started this login flow.");
        }

        if (!Equals(Canonical(clientAddress), flow.Context.ClientAddress))
        {
            // The flow is dropped: a step from another address is either a roaming client or a hijack.
            _flows.Remove(flowId!);
            throw new AuthException(AuthErrorCodes.InvalidRequest,
                $"IP address changed: this login flow was started from {flow.Context.ClientAddress} but continued from " +
                $"{clientAddress}. Start a new login from this device.");
        }

        await flow.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // A concurrent step may have finished (or dropped) the flow while this one waited.
            if (!_flows.TryGet(flowId!, Now, out var live) || !ReferenceEquals(live, flow))
            {
                throw new AuthException(AuthErrorCodes.NotFound,
                    "Invalid flow specified: this login flow has just finished. Start a new one with POST /auth/login_flow.");
            }

            if (flow.AwaitingMfa is not null)
            {
                return await ContinueMfaStepAsync(flow, input, cancellationToken).ConfigureAwait(false);
            }

            var outcome = await flow.Provider
                .HandleStepAsync(flow.Context, flow.StepId, input, _store.Current, cancellationToken)
                .ConfigureAwait(false);
            if (outcome.Kind == LoginStepKind.Form && outcome.Errors.TryGetValue("base", out var error))
            {
                input.TryGetValue("username", out var username);
                RaiseLoginFailed(new LoginFailure(clientAddress, username, error));
            }

            if (outcome.Kind == LoginStepKind.Authenticated && input.TryGetValue("username", out var name))
            {
                flow.Username = name;
            }

            if (outcome is { Kind: LoginStepKind.Authenticated, CredentialId: { } cid, UpgradedPasswordHash: { } hash })
            {
                await UpgradePasswordHashAsync(cid, hash, cancellationToken).ConfigureAwait(false);
            }

            return Conclude(flow, outcome, isNew: false);
        }
        finally
        {
            flow.Gate.Release();
        }
    }

    private LoginFlowResult Conclude(PendingFlow flow, LoginStepOutcome outcome, bool isNew)
    {
        var context = flow.Context;
        switch (outcome.Kind)
        {
            case LoginStepKind.Form:
                flow.StepId = outcome.StepId;
                if (isNew && !_flows.TryAdd(context.FlowId, flow, flow.ExpiresAt, Now))
                {
                    throw new AuthException(AuthErrorCodes.InvalidRequest,
                        "Too many login flows are open on this hub; try again in a few minutes.");
                }

                return Result(flow, LoginFlowResultTypes.Form) with
                {
                    StepId = outcome.StepId,
                    DataSchema = outcome.Schema,
                    Errors = outcome.Errors,
                };

            case LoginStepKind.Authenticated:
                var refusal = RefuseLogin(outcome.UserId!, context.ClientAddress);
                if (refusal is not null)
                {
                    _flows.Remove(context.FlowId);
                    RaiseLoginFailed(new LoginFailure(context.ClientAddress, null, refusal));
                    return Result(flow, LoginFlowResultTypes.Abort) with { Reason = refusal };
                }

                // A second factor, when the user has one, comes after the provider and before the auth code.
                if (RequireMfaStep(flow, outcome, isNew) is { } mfaForm) return mfaForm;
                _flows.Remove(context.FlowId);

                var code = IssueAuthCode(new PendingAuthCode(context.ClientId, outcome.UserId!, outcome.CredentialId,
                    flow.Provider.Type, outcome.TrustedNetwork));
                return Result(flow, LoginFlowResultTypes.CreateEntry) with { Result = code, Title = flow.Provider.Name };

            default:
                _flows.Remove(context.FlowId);
                return Result(flow, LoginFlowResultTypes.Abort) with { Reason = outcome.Reason ?? "unknown_error" };
        }
    }

    /// <summary>Stores a password hash at the current cost. Best effort: a read-only store must not block a login.</summary>
    private async Task UpgradePasswordHashAsync(string credentialId, string hash, CancellationToken cancellationToken)
    {
        try
        {
            await MutateAsync(data => data.Credentials.TryGetValue(credentialId, out var credential)
                    && _hasher.NeedsRehash(credential.PasswordHash)
                ? new AuthChangeSet($"raise password hash cost of {credential.Username}")
                    .Put(credential with { PasswordHash = hash })
                : null, cancellationToken).ConfigureAwait(false);
        }
        catch (AuthException ex)
        {
            _logger.LogWarning(ex, "Could not store the upgraded password hash of credential {CredentialId}; " +
                "it will be retried at the next login", credentialId);
        }
    }

    private static LoginFlowResult Result(PendingFlow flow, string type) => new()
    {
        Type = type,
        FlowId = flow.Context.FlowId,
        HandlerType = flow.Provider.Type,
        HandlerId = flow.Provider.Id,
    };

    /// <summary>Why this user may not log in from this address now, or null when they may.</summary>
    private string? RefuseLogin(string userId, IPAddress? clientAddress)
    {
        var user = GetUser(userId);
        if (user is null) return "invalid_auth";
        if (!user.IsActive) return "user_not_active";
        if (user.LocalOnly && !NetworkLocality.IsLocal(clientAddress)) return "login_local_only";
        return null;
    }

    private string IssueAuthCode(PendingAuthCode pending)
    {
        var code = Secrets.NewId();
        var now = Now;
        if (!_codes.TryAdd(code, pending, now + _options.AuthCodeLifetime, now))
        {
            throw new AuthException(AuthErrorCodes.InvalidRequest,
                "Too many unexchanged auth codes are pending on this hub; try again in a few minutes.");
        }

        return code;
    }

    private void EnsureOnboarded()
    {
        if (!IsOnboarded)
        {
            throw new AuthException(AuthErrorCodes.OnboardingRequired,
                "Onboarding not finished: create the owner first (open the hub in a browser, or POST /api/onboarding/users).");
        }
    }

    private static IPAddress? Canonical(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
}
