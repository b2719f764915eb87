using System.Diagnostics.CodeAnalysis;
using System.Net;
using PiHub.Core.Auth.Mfa;
using PiHub.Core.Auth.Tokens;
using PiHub.Core.Auth.Users;
using PiHub.Core.Auth.Validation;

namespace PiHub.Core.Auth.Flows;

/// <summary>
/// Home Assistant's data-entry login flows (<c>/auth/login_flow</c>): the provider's steps, then the
/// <c>mfa</c> step when the user has a second factor, then a single-use auth code. Owns the open flows (in
/// memory, bound to the client address, 10 minutes, a bounded number per client) and the auth codes waiting to be
/// exchanged.
/// </summary>
public sealed class LoginFlowManager
{
    /// <summary>The step id Home Assistant uses for the second factor.</summary>
    public const string MfaStepId = "mfa";

    /// <summary>The failure reason of a flow started beyond the client's <see cref="AuthOptions.MaxPendingFlowsPerClient"/>.</summary>
    public const string TooManyFlowsReason = "too_many_login_flows";

    private readonly AuthManager _auth;
    private readonly MfaModuleRegistry _mfa;
    private readonly PasswordAdmin _passwords;
    private readonly LoginFlowTable _flows;
    private readonly AuthCodeTable _codes;
    private readonly RedirectUriVerifier _redirects;

    internal LoginFlowManager(AuthManager auth, MfaModuleRegistry mfa, PasswordAdmin passwords, RedirectUriVerifier redirects)
    {
        _auth = auth;
        _redirects = redirects;
        _mfa = mfa;
        _passwords = passwords;
        _flows = new LoginFlowTable(auth.Options.MaxPendingFlows, auth.Options.MaxPendingFlowsPerClient);
        _codes = new AuthCodeTable(auth.Options.MaxPendingFlows, auth.Options.MaxPendingCodesPerClient, auth.Options.MaxPendingCodesPerUser);
    }

    /// <summary>
    /// Starts a login flow with the provider (<paramref name="handlerType"/>, <paramref name="handlerId"/>).
    /// The flow lives in memory for <see cref="AuthOptions.LoginFlowLifetime"/> and only accepts steps
    /// from <paramref name="clientAddress"/>.
    /// </summary>
    public async Task<LoginFlowResult> StartAsync(string clientId, string handlerType, string? handlerId,
        string? redirectUri, IPAddress? clientAddress, CancellationToken cancellationToken = default)
    {
        _auth.EnsureOnboarded();
        await EnsureClientAsync(clientId, redirectUri, clientAddress, cancellationToken).ConfigureAwait(false);

        var provider = _auth.Providers.Find(handlerType, handlerId);
        if (provider is null || !provider.IsAvailableTo(clientAddress))
        {
            throw new AuthException(AuthErrorCodes.NotFound,
                $"Invalid handler specified: no login provider [\"{handlerType}\", {(handlerId is null ? "null" : $"\"{handlerId}\"")}] " +
                "is offered to this address; GET /auth/providers lists the ones that are.");
        }

        var context = new LoginFlowContext(Secrets.NewId(), clientId, redirectUri, Canonical(clientAddress));
        var flow = new PendingFlow(context, provider, "init", _auth.Now + _auth.Options.LoginFlowLifetime);
        var outcome = await provider.StartAsync(context, _auth.Data, cancellationToken).ConfigureAwait(false);
        return Conclude(flow, outcome, isNew: true);
    }

    /// <summary>
    /// The client checks of <c>/auth/authorize</c>: a valid client id and, when given, a redirect URI that may receive its
    /// codes (IndieAuth). Onboarding runs the same checks, so the first owner's code goes only where a login's would.
    /// </summary>
    internal async Task EnsureClientAsync(string clientId, string? redirectUri, IPAddress? clientAddress, CancellationToken cancellationToken)
    {
        ClientIdRules.EnsureValidClientId(clientId);
        if (redirectUri is not null)
        {
            await _redirects.EnsureAllowedAsync(clientId, redirectUri, clientAddress, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Answers the current step of a flow. Wrong credentials give the form again with
    /// <c>errors.base = invalid_auth</c>; success gives <c>create_entry</c> whose result is an auth code.
    /// </summary>
    public async Task<LoginFlowResult> ContinueAsync(string flowId, string clientId,
        IReadOnlyDictionary<string, string> input, IPAddress? clientAddress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!_flows.TryGet(flowId ?? "", _auth.Now, out var flow))
        {
            throw new AuthException(AuthErrorCodes.NotFound,
                "Invalid flow specified: the login flow is unknown, finished or older than " +
                $"{_auth.Options.LoginFlowLifetime.TotalMinutes:0} minutes. Start a new one with POST /auth/login_flow.");
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
            if (!_flows.TryGet(flowId!, _auth.Now, out var live) || !ReferenceEquals(live, flow))
            {
                throw new AuthException(AuthErrorCodes.NotFound,
                    "Invalid flow specified: this login flow has just finished. Start a new one with POST /auth/login_flow.");
            }

            if (flow.AwaitingMfa is not null)
            {
                return await ContinueMfaStepAsync(flow, input, cancellationToken).ConfigureAwait(false);
            }

            var outcome = await flow.Provider
                .HandleStepAsync(flow.Context, flow.StepId, input, _auth.Data, cancellationToken)
                .ConfigureAwait(false);
            if (outcome.Kind == LoginStepKind.Form && outcome.Errors.TryGetValue("base", out var error))
            {
                input.TryGetValue("username", out var username);
                _auth.RaiseLoginFailed(new LoginFailure(clientAddress, username, error));
            }

            if (outcome.Kind == LoginStepKind.Authenticated && input.TryGetValue("username", out var name))
            {
                flow.Username = name;
            }

            if (outcome is { Kind: LoginStepKind.Authenticated, CredentialId: { } cid, UpgradedPasswordHash: { } hash })
            {
                await _passwords.UpgradeHashAsync(cid, hash, cancellationToken).ConfigureAwait(false);
            }

            return Conclude(flow, outcome, isNew: false);
        }
        finally
        {
            flow.Gate.Release();
        }
    }

    /// <summary>
    /// Issues a single-use auth code to <paramref name="clientAddress"/>, exchangeable for <see cref="AuthOptions.AuthCodeLifetime"/>.
    /// Never refused: a client or user over its budget of unexchanged codes loses its own oldest (see <see cref="AuthCodeTable"/>).
    /// </summary>
    internal string IssueAuthCode(PendingAuthCode pending, IPAddress? clientAddress)
    {
        var code = Secrets.NewId();
        var now = _auth.Now;
        _codes.Add(code, pending, Canonical(clientAddress), now + _auth.Options.AuthCodeLifetime, now);
        return code;
    }

    /// <summary>Removes and returns a live auth code; a code is spent by any attempt, right or wrong.</summary>
    internal bool TryTakeAuthCode(string code, [NotNullWhen(true)] out PendingAuthCode? pending) =>
        _codes.TryTake(code, _auth.Now, out pending);

    private LoginFlowResult Conclude(PendingFlow flow, LoginStepOutcome outcome, bool isNew)
    {
        var context = flow.Context;
        switch (outcome.Kind)
        {
            case LoginStepKind.Form:
                flow.StepId = outcome.StepId;
                if (isNew) Open(flow);
                return Result(flow, LoginFlowResultTypes.Form) with
                {
                    StepId = outcome.StepId,
                    DataSchema = outcome.Schema,
                    Errors = outcome.Errors,
                };

            case LoginStepKind.Authenticated:
                var refusal = _auth.RefuseLogin(outcome.UserId!, context.ClientAddress);
                if (refusal is not null)
                {
                    _flows.Remove(context.FlowId);
                    _auth.RaiseLoginFailed(new LoginFailure(context.ClientAddress, null, refusal));
                    return Result(flow, LoginFlowResultTypes.Abort) with { Reason = refusal };
                }

                // A second factor, when the user has one, comes after the provider and before the auth code.
                if (RequireMfaStep(flow, outcome, isNew) is { } mfaForm) return mfaForm;
                _flows.Remove(context.FlowId);

                var code = IssueAuthCode(new PendingAuthCode(context.ClientId, outcome.UserId!, outcome.CredentialId,
                    flow.Provider.Type, outcome.TrustedNetwork), context.ClientAddress);
                var proven = outcome.CredentialId is { } credentialId && _auth.Data.Credentials.TryGetValue(credentialId, out var credential)
                    ? credential.Username
                    : null;
                _auth.RaiseLoginSucceeded(new LoginSuccess(context.ClientAddress, outcome.UserId!, proven));
                return Result(flow, LoginFlowResultTypes.CreateEntry) with { Result = code, Title = flow.Provider.Name };

            default:
                _flows.Remove(context.FlowId);
                return Result(flow, LoginFlowResultTypes.Abort) with { Reason = outcome.Reason ?? "unknown_error" };
        }
    }

    /// <summary>
    /// When the user has a second factor (and the provider did not opt out with <see cref="LoginFlowContext.SkipMfa"/>),
    /// parks the provider's login on the flow and answers the module's <c>mfa</c> form; otherwise null and the login
    /// goes on.
    /// </summary>
    private LoginFlowResult? RequireMfaStep(PendingFlow flow, LoginStepOutcome outcome, bool isNew)
    {
        if (flow.Context.SkipMfa || flow.AwaitingMfa is not null) return null;
        var module = _mfa.FirstEnabledFor(outcome.UserId!);
        if (module is null) return null;
        flow.AwaitingMfa = outcome;
        flow.MfaModule = module;
        flow.StepId = MfaStepId;
        if (isNew) Open(flow);
        return MfaForm(flow, errors: null);
    }

    /// <summary>
    /// Answers the <c>mfa</c> step through the module, which records an accepted code before the auth code is
    /// issued. A wrong code answers the form again with <c>invalid_code</c> and counts as a failed login; the
    /// <see cref="MfaModule.MaxTries"/>th aborts the flow.
    /// </summary>
    private async Task<LoginFlowResult> ContinueMfaStepAsync(PendingFlow flow, IReadOnlyDictionary<string, string> input,
        CancellationToken cancellationToken)
    {
        var login = flow.AwaitingMfa!;
        var accepted = await flow.MfaModule!.ValidateLoginAsync(login.UserId!, input, cancellationToken).ConfigureAwait(false);
        if (accepted) return Conclude(flow, login, isNew: false);

        flow.MfaFailures++;
        _auth.RaiseLoginFailed(new LoginFailure(flow.Context.ClientAddress, flow.Username, AuthErrorCodes.InvalidCode));
        // The code may be right and the hub's clock wrong (no network time yet): then the form says so.
        var hint = flow.MfaModule!.WrongCodeHint();
        if (flow.MfaFailures < MfaModule.MaxTries) return MfaForm(flow, AuthErrorCodes.InvalidCode) with { Message = hint };

        _flows.Remove(flow.Context.FlowId);
        return Result(flow, LoginFlowResultTypes.Abort) with
        {
            Reason = AuthErrorCodes.TooManyRetry,
            Message = $"{MfaModule.MaxTries} wrong codes: this login was stopped. Start a new login and enter the current " +
                      "6-digit code from your authenticator app, or one of your recovery codes." + (hint is null ? "" : " " + hint),
        };
    }

    /// <summary>
    /// Keeps the flow for its next step. Never refused: a client over its bound loses its own oldest flow instead, and
    /// that start counts like a failed login, so a flood of starts ends in a ban rather than a full table.
    /// </summary>
    private void Open(PendingFlow flow)
    {
        if (!_flows.Add(flow, _auth.Now))
        {
            _auth.RaiseLoginFailed(new LoginFailure(flow.Context.ClientAddress, null, TooManyFlowsReason));
        }
    }

    private static LoginFlowResult MfaForm(PendingFlow flow, string? errors) =>
        Result(flow, LoginFlowResultTypes.Form) with
        {
            StepId = MfaStepId,
            DataSchema = flow.MfaModule!.InputSchema,
            Errors = errors is null
                ? new Dictionary<string, string>()
                : new Dictionary<string, string> { ["base"] = errors },
        };

    private static LoginFlowResult Result(PendingFlow flow, string type) => new()
    {
        Type = type,
        FlowId = flow.Context.FlowId,
        HandlerType = flow.Provider.Type,
        HandlerId = flow.Provider.Id,
    };

    private static IPAddress? Canonical(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
}
