namespace PiHub.Core.Admin;

/// <summary>
/// The one implementation of every <c>pihub-cli</c> operation. The service runs it for requests on its admin
/// socket; <c>pihub-cli</c> runs it in-process on the store it opened itself when the service is stopped. The
/// operations act as the hub's administrator on the console: they need no user session, and may do what no
/// HTTP caller can (reset the owner's MFA, hand on ownership without the old owner).
/// </summary>
public sealed class HubAdmin
{
    private readonly UserOperations _users;
    private readonly SecurityOperations _security;
    private readonly StoreOperations _store;

    public HubAdmin(AdminContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Context = context;
        _users = new UserOperations(context);
        _security = new SecurityOperations(context);
        _store = new StoreOperations(context);
    }

    public AdminContext Context { get; }

    /// <summary>Runs one operation. Failures are <see cref="AdminException"/>s with a class and a next step.</summary>
    public async Task<AdminResult> ExecuteAsync(AdminRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return request.Command switch
            {
                AdminCommands.Status => _store.Status(),
                AdminCommands.UsersList => _users.List(),
                AdminCommands.UsersAdd => await _users.AddAsync(request, cancellationToken).ConfigureAwait(false),
                AdminCommands.UsersPasswd => await _users.SetPasswordAsync(request, cancellationToken).ConfigureAwait(false),
                AdminCommands.UsersDisable => await _users.SetActiveAsync(request, false, cancellationToken).ConfigureAwait(false),
                AdminCommands.UsersEnable => await _users.SetActiveAsync(request, true, cancellationToken).ConfigureAwait(false),
                AdminCommands.UsersRemove => await _users.RemoveAsync(request, cancellationToken).ConfigureAwait(false),
                AdminCommands.UsersRename => await _users.RenameAsync(request, cancellationToken).ConfigureAwait(false),
                AdminCommands.OwnerShow => _users.ShowOwner(),
                AdminCommands.OwnerTransfer => await _users.TransferOwnerAsync(request, cancellationToken).ConfigureAwait(false),
                AdminCommands.MfaReset => await _security.ResetMfaAsync(request, cancellationToken).ConfigureAwait(false),
                AdminCommands.MfaRecoveryCodes => await _security.NewRecoveryCodesAsync(request, cancellationToken).ConfigureAwait(false),
                AdminCommands.TokensList => _security.ListTokens(request),
                AdminCommands.TokensRevoke => await _security.RevokeTokenAsync(request, cancellationToken).ConfigureAwait(false),
                AdminCommands.TokensCreate => await _security.CreateTokenAsync(request, cancellationToken).ConfigureAwait(false),
                AdminCommands.BansList => _security.ListBans(),
                AdminCommands.BansLift => await _security.LiftBansAsync(request, cancellationToken).ConfigureAwait(false),
                AdminCommands.OnboardingStatus => _store.OnboardingStatus(),
                AdminCommands.OnboardingCode => await _store.NewOnboardingCodeAsync(cancellationToken).ConfigureAwait(false),
                AdminCommands.OnboardingReset => await _store.ResetOnboardingAsync(request, cancellationToken).ConfigureAwait(false),
                AdminCommands.DbCheck => await _store.CheckAsync(cancellationToken).ConfigureAwait(false),
                AdminCommands.DbSnapshots => _store.ListSnapshots(),
                AdminCommands.DbRestore => await _store.RestoreAsync(request, cancellationToken).ConfigureAwait(false),
                AdminCommands.DbBackup => await _store.BackupAsync(cancellationToken).ConfigureAwait(false),
                AdminCommands.PowerSimulate => await SimulatePowerAsync(request, cancellationToken).ConfigureAwait(false),
                _ => throw new AdminException(AdminFailure.Usage, AdminException.InvalidRequestCode,
                    $"\"{request.Command}\" is not an administration command; see `pihub-cli --help`."),
            };
        }
        catch (Exception ex) when (ex is Auth.AuthException or Auth.Storage.AuthStoreException)
        {
            throw AdminException.From(ex);
        }
    }

    private Task<AdminResult> SimulatePowerAsync(AdminRequest request, CancellationToken cancellationToken)
    {
        if (request.State is not ("fail" or "restore")) throw AdminException.Missing("The state (fail or restore)", "pihub-cli power simulate fail");
        var power = Context.Power ?? throw new AdminException(AdminFailure.Failed, AdminException.NotAvailableCode,
            "This hub reports no power monitor, so there is nothing to simulate; see `pihub-cli status`.");
        return power.SimulateAsync(request.State == "fail", cancellationToken);
    }
}
