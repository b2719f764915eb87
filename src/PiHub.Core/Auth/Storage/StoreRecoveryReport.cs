namespace PiHub.Core.Auth.Storage;

/// <summary>How the store was brought back at start-up.</summary>
public enum StoreRecoveryOutcome
{
    /// <summary>The store was invalid and the newest valid snapshot was restored.</summary>
    RestoredFromSnapshot,

    /// <summary>Nothing valid existed: onboarding reopened in recovery mode.</summary>
    RecoveryOnboarding,
}

/// <summary>What start-up found and did, for the journal and the owner's notification.</summary>
public sealed record StoreRecoveryReport(
    StoreRecoveryOutcome Outcome,
    string Problem,
    string? MovedAsideTo,
    string? SnapshotFile,
    long? SnapshotGeneration,
    DateTimeOffset? SnapshotTime,
    IReadOnlyList<string> Lost,
    IReadOnlyList<string> Salvaged,
    string? RecoveryCodeFile)
{
    /// <summary>One paragraph a person can act on.</summary>
    public string Describe()
    {
        var lost = Lost.Count == 0 ? "nothing known" : string.Join("; ", Lost);
        return Outcome switch
        {
            StoreRecoveryOutcome.RestoredFromSnapshot =>
                $"The auth store was damaged ({Problem}). It was moved aside to {MovedAsideTo} and the snapshot " +
                $"{SnapshotFile} (generation {SnapshotGeneration}, {SnapshotTime:u}) was restored. Lost: {lost}.",
            _ =>
                $"The auth store was damaged ({Problem}) and no valid snapshot existed. It was moved aside to " +
                $"{MovedAsideTo}. Onboarding is open in recovery mode: the one-time code is in {RecoveryCodeFile} " +
                "on the hub (readable by root only), and `sudo pihub-cli onboarding code` prints a new one.",
        };
    }
}
