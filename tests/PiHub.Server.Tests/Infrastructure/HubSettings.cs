namespace PiHub.Server.Tests.Infrastructure;

/// <summary>Configuration for <see cref="TestHub.StartAsync"/>, as the keys pihub.yaml would set.</summary>
internal static class HubSettings
{
    /// <summary>Settings for one <c>auth.trusted_networks</c> entry at index <paramref name="index"/>.</summary>
    public static Dictionary<string, string?> TrustedNetwork(string cidr, string[] users, bool bypass = false, bool api = false, bool skipMfa = false, int index = 0)
    {
        var prefix = $"auth:trusted_networks:{index}:";
        var settings = new Dictionary<string, string?>
        {
            [prefix + "cidr"] = cidr,
            [prefix + "allow_bypass_login"] = bypass ? "true" : "false",
            [prefix + "allow_api_without_token"] = api ? "true" : "false",
            [prefix + "skip_mfa"] = skipMfa ? "true" : "false",
        };
        if (users is ["all"]) settings[prefix + "users"] = "all";
        else for (var i = 0; i < users.Length; i++) settings[$"{prefix}users:{i}"] = users[i];
        return settings;
    }
}
