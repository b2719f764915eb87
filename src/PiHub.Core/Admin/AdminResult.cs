namespace PiHub.Core.Admin;

/// <summary>
/// What an administration operation answers: one sentence for people (<see cref="Message"/>) and the data for
/// scripts (<c>pihub-cli --json</c> prints the whole record). Fields an operation does not fill stay null.
/// </summary>
public sealed record AdminResult
{
    /// <summary>What happened, in one or two sentences.</summary>
    public required string Message { get; init; }

    public AdminStatus? Status { get; init; }

    public IReadOnlyList<AdminUserInfo>? Users { get; init; }

    public AdminUserInfo? User { get; init; }

    public IReadOnlyList<AdminTokenInfo>? Tokens { get; init; }

    /// <summary>A long-lived access token, shown once (tokens create).</summary>
    public string? AccessToken { get; init; }

    /// <summary>New recovery codes, shown once (mfa recovery-codes).</summary>
    public IReadOnlyList<string>? RecoveryCodes { get; init; }

    public IReadOnlyList<AdminBanInfo>? Bans { get; init; }

    public AdminOnboardingInfo? Onboarding { get; init; }

    /// <summary>A one-time code for creating the owner, shown once (onboarding code, onboarding reset).</summary>
    public string? OnboardingCode { get; init; }

    public StoreCheckReport? Check { get; init; }

    public IReadOnlyList<SnapshotSummary>? Snapshots { get; init; }

    /// <summary>The snapshot taken before a destructive change (restore, onboarding reset).</summary>
    public SnapshotSummary? SafetySnapshot { get; init; }

    /// <summary>A verified copy of the store file, base64 (db backup).</summary>
    public string? BackupContent { get; init; }

    /// <summary>The store generation after the operation.</summary>
    public long? Generation { get; init; }

    /// <summary>How many sessions and tokens the operation ended.</summary>
    public int? TokensRevoked { get; init; }
}

/// <summary>The hub as <c>pihub-cli status</c> shows it.</summary>
public sealed record AdminStatus
{
    public required string Version { get; init; }

    public required string DataDir { get; init; }

    public required string SnapshotDir { get; init; }

    /// <summary>The file holding users, credentials, tokens and MFA secrets.</summary>
    public required string AuthFile { get; init; }

    public long Generation { get; init; }

    /// <summary>"ok", or what is wrong.</summary>
    public required string StoreHealth { get; init; }

    public bool ReadOnly { get; init; }

    /// <summary>What start-up had to recover, when it had to.</summary>
    public string? Recovery { get; init; }

    public AdminUserInfo? Owner { get; init; }

    public bool OnboardingDone { get; init; }

    public bool RecoveryMode { get; init; }

    public int Users { get; init; }

    public int UsersWithMfa { get; init; }

    public int ActiveBans { get; init; }

    public SnapshotSummary? LastSnapshot { get; init; }

    public int SnapshotCount { get; init; }

    /// <summary>The power monitor's state, or why there is none.</summary>
    public required string Power { get; init; }
}

/// <summary>A user as the CLI lists it.</summary>
public sealed record AdminUserInfo(
    string Id,
    string Name,
    string? Username,
    bool IsOwner,
    bool IsAdmin,
    bool IsActive,
    bool ReadOnly,
    bool Mfa,
    int RecoveryCodesLeft,
    int Tokens,
    DateTimeOffset CreatedAt);

/// <summary>A refresh token (a login session) or long-lived access token; never its secret.</summary>
public sealed record AdminTokenInfo(
    string Id,
    string User,
    string Type,
    string? Client,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    string? LastUsedIp,
    DateTimeOffset? ExpiresAt);

/// <summary>An active ban.</summary>
public sealed record AdminBanInfo(string Address, DateTimeOffset BannedAt, DateTimeOffset BannedUntil, int Level, string Reason);

/// <summary>Onboarding as <c>pihub-cli onboarding status</c> shows it.</summary>
public sealed record AdminOnboardingInfo(bool UserDone, bool RecoveryMode, string? Owner, string? RecoveryCodeFile);

/// <summary>A snapshot of the auth store.</summary>
public sealed record SnapshotSummary(string Name, long Generation, DateTimeOffset TakenAt, long Bytes, bool? Valid = null, string? Problem = null);

/// <summary>What <c>db check</c> found: the same checks start-up runs, on a copy of the files.</summary>
public sealed record StoreCheckReport(
    bool Healthy,
    string File,
    long Generation,
    int Records,
    IReadOnlyList<string> Problems,
    string? StartupWouldDo,
    IReadOnlyList<SnapshotSummary> Snapshots);
