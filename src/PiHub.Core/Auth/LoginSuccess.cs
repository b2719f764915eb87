using System.Net;

namespace PiHub.Core.Auth;

/// <summary>A completed login (the auth code was issued, after the second factor when there is one), for bans.</summary>
/// <param name="ClientAddress">The resolved client address.</param>
/// <param name="UserId">The user who logged in.</param>
/// <param name="Username">The username proven with a password; null for a provider without one (trusted networks).</param>
public sealed record LoginSuccess(IPAddress? ClientAddress, string UserId, string? Username);
