using System.Diagnostics.CodeAnalysis;
using PiHub.Core.Auth.Model;

namespace PiHub.Core.Auth;

/// <summary>
/// Writes and checks access tokens: HS256 JWTs with claims <c>iss</c> (the refresh token id),
/// <c>iat</c> and <c>exp</c>, signed with the refresh token's own <see cref="RefreshToken.JwtKey"/>.
/// Lifetime is checked by <see cref="Tokens.AccessTokenValidator"/> against the auth system's <see cref="TimeProvider"/>.
/// </summary>
public interface IAccessTokenCodec
{
    /// <summary>Creates a signed access token for <paramref name="refreshToken"/>.</summary>
    string Create(RefreshToken refreshToken, DateTimeOffset issuedAt, DateTimeOffset expiresAt);

    /// <summary>Reads the unverified <c>iss</c> claim, to find the key to verify with. False for anything not a JWT.</summary>
    bool TryReadIssuer(string accessToken, [NotNullWhen(true)] out string? issuer);

    /// <summary>
    /// True when the token is an HS256 JWT signed with <paramref name="refreshToken"/>'s key whose
    /// <c>iss</c> is that token's id and which carries an <c>exp</c>; <paramref name="expiresAt"/> is that
    /// expiry. Unsigned, <c>alg: none</c>, other algorithms, other keys and tampered tokens are refused.
    /// </summary>
    bool TryVerify(string accessToken, RefreshToken refreshToken, out DateTimeOffset expiresAt);
}
