using System.Net;

namespace PiHub.Core.Auth;

/// <summary>A refused login or token request, for ban counting and the journal.</summary>
/// <param name="ClientAddress">The resolved client address.</param>
/// <param name="Username">The username tried, when there was one.</param>
/// <param name="Reason">What failed, e.g. <c>invalid_auth</c> or <c>invalid_grant</c>.</param>
public sealed record LoginFailure(IPAddress? ClientAddress, string? Username, string Reason);
