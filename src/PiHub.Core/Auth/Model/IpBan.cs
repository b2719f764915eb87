namespace PiHub.Core.Auth.Model;

/// <summary>A banned client address. Id is the normalised address text.</summary>
public sealed record IpBan : AuthRecord
{
    public override AuthRecordKind Kind => AuthRecordKind.Ban;

    public DateTimeOffset BannedAt { get; init; }

    public DateTimeOffset BannedUntil { get; init; }

    /// <summary>How many times this address has been banned; the ban length doubles each time.</summary>
    public int Level { get; init; } = 1;

    public string Reason { get; init; } = "";
}
