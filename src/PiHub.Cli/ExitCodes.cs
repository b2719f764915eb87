namespace PiHub.Cli;

/// <summary>pihub-cli's exit codes. Scripts may rely on them: numbers never change meaning.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The operation was refused or failed (e.g. unknown user, the owner cannot be removed).</summary>
    public const int Failed = 1;

    /// <summary>The command line was wrong (unknown command, missing argument, no --yes).</summary>
    public const int Usage = 2;

    /// <summary>Not permitted: not root, not the service's user, not in admin.group.</summary>
    public const int NotPermitted = 3;

    /// <summary>The store or the service cannot be reached (locked, missing, unreadable).</summary>
    public const int Unavailable = 4;
}
