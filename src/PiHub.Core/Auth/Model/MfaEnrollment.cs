namespace PiHub.Core.Auth.Model;

/// <summary>A user's TOTP set-up. Id is <c>{userId}:totp</c>.</summary>
public sealed record MfaEnrollment : AuthRecord
{
    public override AuthRecordKind Kind => AuthRecordKind.Mfa;

    public required string UserId { get; init; }

    public string ModuleId { get; init; } = "totp";

    /// <summary>Base32 TOTP secret.</summary>
    public required string Secret { get; init; }

    /// <summary>False until the user proves a code.</summary>
    public bool Enabled { get; init; }

    /// <summary>The last accepted time step; a code of this step or older is refused (replay).</summary>
    public long LastUsedStep { get; init; }

    /// <summary>Hashes of the unused one-time recovery codes.</summary>
    public IReadOnlyList<string> RecoveryCodeHashes { get; init; } = [];

    public DateTimeOffset CreatedAt { get; init; }

    public static string IdFor(string userId, string moduleId = "totp") => $"{userId}:{moduleId}";
}
