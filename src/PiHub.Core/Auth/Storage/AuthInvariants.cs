using PiHub.Core.Auth.Model;

namespace PiHub.Core.Auth.Storage;

/// <summary>
/// The rules auth data obeys at every generation. Checked before every commit and on every
/// start-up, so a store that breaks them is treated as corrupt rather than served.
/// </summary>
public static class AuthInvariants
{
    /// <summary>Returns every broken rule, as sentences; empty when the data is consistent.</summary>
    public static IReadOnlyList<string> Check(AuthData data)
    {
        var problems = new List<string>();
        var owners = data.Users.Values.Where(u => u.IsOwner).ToList();
        if (data.Onboarding.UserDone)
        {
            if (owners.Count != 1)
            {
                problems.Add($"onboarding is done but there are {owners.Count} owners (exactly one is required)");
            }
            else if (!owners[0].IsActive)
            {
                problems.Add($"the owner {owners[0].Name} is deactivated");
            }
        }
        else if (owners.Count > 0)
        {
            problems.Add("an owner exists but onboarding is not marked done");
        }

        foreach (var (id, user) in data.Users)
        {
            if (id != user.Id) problems.Add($"user key {id} does not match its id {user.Id}");
            foreach (var g in user.GroupIds.Where(g => !Groups.IsKnown(g)))
            {
                problems.Add($"user {user.Name} is in unknown group {g}");
            }
        }

        var usernames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in data.Credentials.Values)
        {
            if (!data.Users.ContainsKey(c.UserId)) problems.Add($"credential {c.Id} belongs to missing user {c.UserId}");
            if (!usernames.Add($"{c.ProviderType}/{c.Username}")) problems.Add($"username {c.Username} is used twice");
        }

        foreach (var t in data.RefreshTokens.Values)
        {
            if (!data.Users.ContainsKey(t.UserId)) problems.Add($"refresh token {t.Id} belongs to missing user {t.UserId}");
        }

        foreach (var m in data.Mfa.Values)
        {
            if (!data.Users.ContainsKey(m.UserId)) problems.Add($"MFA set-up {m.Id} belongs to missing user {m.UserId}");
        }

        return problems;
    }
}
