using System.Globalization;
using System.Text.Json;
using PiHub.Cli.Hosting;
using PiHub.Core.Admin;

namespace PiHub.Cli.Output;

/// <summary>Prints a result for people (tables, one sentence) or for scripts (<c>--json</c>).</summary>
internal static class ResultPrinter
{
    public static void Print(CliConsole console, AdminResult result, bool json)
    {
        if (json)
        {
            console.Out.WriteLine(JsonSerializer.Serialize(result, AdminJsonContext.Default.AdminResult));
            return;
        }

        var output = console.Out;
        if (result.Users is { } users)
        {
            output.Write(Table.Render(["USERNAME", "NAME", "ROLE", "ENABLED", "MFA", "TOKENS"], users.Select(u => (IReadOnlyList<string>)
            [
                u.Username ?? "-", u.Name, Role(u), u.IsActive ? "yes" : "no",
                u.Mfa ? string.Create(CultureInfo.InvariantCulture, $"yes ({u.RecoveryCodesLeft} codes)") : "no",
                u.Tokens.ToString(CultureInfo.InvariantCulture),
            ])));
        }

        if (result.Tokens is { } tokens)
        {
            output.Write(Table.Render(["ID", "USER", "TYPE", "CLIENT", "LAST USED", "EXPIRES"], tokens.Select(t => (IReadOnlyList<string>)
            [
                t.Id, t.User, t.Type == "long_lived_access_token" ? "long-lived" : t.Type, t.Client ?? "-",
                Table.Time(t.LastUsedAt) + (t.LastUsedIp is null ? "" : " from " + t.LastUsedIp), Table.Time(t.ExpiresAt),
            ])));
        }

        if (result.Bans is { Count: > 0 } bans)
        {
            output.Write(Table.Render(["ADDRESS", "BANNED UNTIL", "BAN #", "REASON"], bans.Select(b => (IReadOnlyList<string>)
            [
                b.Address, Table.Time(b.BannedUntil), b.Level.ToString(CultureInfo.InvariantCulture), b.Reason,
            ])));
        }

        var snapshots = result.Snapshots ?? result.Check?.Snapshots;
        if (snapshots is { Count: > 0 })
        {
            output.Write(Table.Render(["SNAPSHOT", "GENERATION", "TAKEN", "BYTES", "STATE"], snapshots.Select(s => (IReadOnlyList<string>)
            [
                s.Name, s.Generation.ToString(CultureInfo.InvariantCulture), Table.Time(s.TakenAt), s.Bytes.ToString(CultureInfo.InvariantCulture),
                s.Valid switch { true => "ok", false => "damaged: " + s.Problem, null => "-" },
            ])));
        }

        output.WriteLine(result.Message);
        if (result.RecoveryCodes is { } codes)
        {
            foreach (var code in codes) output.WriteLine(code);
        }

        if (result.AccessToken is { } token) output.WriteLine(token);
    }

    /// <summary>Writes a failure: one sentence on stderr, and the error object on stdout with <c>--json</c>.</summary>
    public static int Fail(CliConsole console, CliFailure failure, bool json)
    {
        console.Error.WriteLine("pihub-cli: " + failure.Message);
        if (json) console.Out.WriteLine(JsonSerializer.Serialize(failure.ToError(), AdminJsonContext.Default.AdminError));
        return failure.ExitCode;
    }

    private static string Role(AdminUserInfo user) =>
        user.IsOwner ? "owner" : user.IsAdmin ? "admin" : user.ReadOnly ? "read-only" : "user";
}
