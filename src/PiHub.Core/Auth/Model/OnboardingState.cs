namespace PiHub.Core.Auth.Model;

/// <summary>Onboarding progress; a single document with id <see cref="SingletonId"/>.</summary>
public sealed record OnboardingState : AuthRecord
{
    public const string SingletonId = "onboarding";

    public override AuthRecordKind Kind => AuthRecordKind.Onboarding;

    /// <summary>True once the owner exists. Committed in the same transaction as the owner.</summary>
    public bool UserDone { get; init; }

    public bool CoreConfigDone { get; init; }

    public bool AnalyticsDone { get; init; }

    public bool IntegrationDone { get; init; }

    /// <summary>Onboarding reopened after unrecoverable loss: creating the owner needs the recovery code.</summary>
    public bool RecoveryMode { get; init; }

    /// <summary>Hash of the one-time recovery code (see <c>PasswordHasher</c>), when in recovery mode.</summary>
    public string? RecoveryCodeHash { get; init; }

    public static OnboardingState Fresh => new() { Id = SingletonId };
}
