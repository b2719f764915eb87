using OtpNet;
using PiHub.Core.Auth;

namespace PiHub.Cli.Tests.Infrastructure;

/// <summary>An authenticator app in a test: enrols a user on the running hub and computes codes.</summary>
public static class Totp
{
    /// <summary>Sets up TOTP for the user (hub running); returns the secret and the recovery codes.</summary>
    public static async Task<(string Secret, IReadOnlyList<string> RecoveryCodes)> EnrolAsync(CliHub hub, string username)
    {
        var auth = hub.Service<AuthManager>();
        var userId = auth.Data.Credentials.Values.Single(c => c.Username == username).UserId;
        var setup = await auth.Totp.BeginSetupAsync(userId);
        var codes = await auth.Totp.ConfirmSetupAsync(userId, Code(setup.Secret));
        return (setup.Secret, codes);
    }

    public static string Code(string secret) => new OtpNet.Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow);
}
