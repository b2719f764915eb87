namespace PiHub.Core.Admin;

/// <summary>
/// The names of the administration operations, as the admin socket's routes (<c>POST /admin/v1/{name}</c>) and
/// <see cref="AdminRequest.Command"/> carry them. One name per <c>pihub-cli</c> noun and verb.
/// </summary>
public static class AdminCommands
{
    public const string Status = "status";
    public const string UsersList = "users.list";
    public const string UsersAdd = "users.add";
    public const string UsersPasswd = "users.passwd";
    public const string UsersDisable = "users.disable";
    public const string UsersEnable = "users.enable";
    public const string UsersRemove = "users.remove";
    public const string UsersRename = "users.rename";
    public const string OwnerShow = "owner.show";
    public const string OwnerTransfer = "owner.transfer";
    public const string MfaReset = "mfa.reset";
    public const string MfaRecoveryCodes = "mfa.recovery-codes";
    public const string TokensList = "tokens.list";
    public const string TokensRevoke = "tokens.revoke";
    public const string TokensCreate = "tokens.create";
    public const string BansList = "bans.list";
    public const string BansLift = "bans.lift";
    public const string OnboardingStatus = "onboarding.status";
    public const string OnboardingCode = "onboarding.code";
    public const string OnboardingReset = "onboarding.reset";
    public const string DbCheck = "db.check";
    public const string DbSnapshots = "db.snapshots";
    public const string DbRestore = "db.restore";
    public const string DbBackup = "db.backup";
    public const string PowerSimulate = "power.simulate";

    /// <summary>Operations that only read: with the service stopped they run on a copy of the store.</summary>
    public static readonly IReadOnlySet<string> ReadOnly = new HashSet<string>(StringComparer.Ordinal)
    {
        Status, UsersList, OwnerShow, TokensList, BansList, OnboardingStatus, DbCheck, DbSnapshots, DbBackup,
    };

    /// <summary>Every operation.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        Status, UsersList, UsersAdd, UsersPasswd, UsersDisable, UsersEnable, UsersRemove, UsersRename, OwnerShow,
        OwnerTransfer, MfaReset, MfaRecoveryCodes, TokensList, TokensRevoke, TokensCreate, BansList, BansLift,
        OnboardingStatus, OnboardingCode, OnboardingReset, DbCheck, DbSnapshots, DbRestore, DbBackup, PowerSimulate,
    ];
}
