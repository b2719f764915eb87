namespace PiHub.Core.Auth.Tokens;

/// <summary>The newest use of a refresh token seen in memory, and when it was last written to the store.</summary>
internal sealed class LastUse
{
    public DateTimeOffset At;
    public string? Ip;
    public DateTimeOffset PersistedAt;
    public int Writing;
}
