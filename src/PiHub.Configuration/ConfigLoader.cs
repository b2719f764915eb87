using Microsoft.Extensions.Configuration;
using PiHub.Core.Auth.Validation;
using PiHub.Core.Hub;
using PiHub.Core.Hub.Domains;

namespace PiHub.Configuration;

/// <summary>
/// Builds the configuration: the YAML file (<c>--config</c>, else <c>/etc/pihub/pihub.yaml</c> when it
/// exists, else embedded dev defaults), then <c>PIHUB__SECTION__KEY</c> variables, then overrides
/// (tests). Validation happens here, before anything is opened or written.
/// </summary>
public static class ConfigLoader
{
    public const string DefaultPath = "/etc/pihub/pihub.yaml";
    public const string EnvironmentPrefix = "PIHUB__";

    private static readonly string[] s_sections = ["hub", "http", "storage", "input_boolean", "auth", "logging", "admin", "areas", "floors", "labels", RecorderConfig.Section, "power", "gpio"];

    /// <summary>Loads and validates; throws <see cref="ConfigException"/> with one clear sentence.</summary>
    public static (IConfigurationRoot Configuration, PiHubOptions Options) Load(
        string[] args, IReadOnlyDictionary<string, string?>? overrides = null, string defaultPath = DefaultPath)
    {
        var explicitPath = ConfigPathFromArgs(args);
        var path = explicitPath ?? (File.Exists(defaultPath) ? defaultPath : null);
        if (explicitPath is not null && !File.Exists(explicitPath))
        {
            throw new ConfigException($"The config file {explicitPath} given with --config does not exist. Check the path, or leave out --config to run on embedded defaults.");
        }

        var builder = new ConfigurationBuilder();
        if (path is not null)
        {
            builder.AddYamlFile(Path.GetFullPath(path), optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables(EnvironmentPrefix);
        if (overrides is not null) builder.AddInMemoryCollection(overrides);
        IConfigurationRoot configuration;
        try
        {
            configuration = builder.Build();
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or YamlDotNet.Core.YamlException)
        {
            throw new ConfigException($"The config file {path} is not valid YAML: {ex.Message} Fix the file (indent with spaces, not tabs) and start PiHub again.");
        }

        // Values may come from the file or from PIHUB__ variables: errors name both places.
        var source = (path ?? "the embedded defaults") + " (or a PIHUB__ environment variable)";
        return (configuration, Bind(configuration, source, devMode: path is null) with { Source = path ?? "embedded defaults" });
    }

    private static string? ConfigPathFromArgs(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--config")
            {
                return i + 1 < args.Length ? args[i + 1] : throw new ConfigException("--config needs a file path, e.g. --config /etc/pihub/pihub.yaml.");
            }

            if (args[i].StartsWith("--config=", StringComparison.Ordinal)) return args[i]["--config=".Length..];
        }

        return null;
    }

    private static PiHubOptions Bind(IConfiguration configuration, string source, bool devMode)
    {
        foreach (var section in configuration.GetChildren())
        {
            if (!s_sections.Contains(section.Key, StringComparer.OrdinalIgnoreCase))
            {
                throw new ConfigException($"Unknown section \"{section.Key}\" in {source}. Accepted sections: {string.Join(", ", s_sections)}. Fix or remove it and start PiHub again.");
            }
        }

        var hub = new ConfigReader(configuration, "hub", source);
        var timeZone = hub.String("time_zone", "UTC");
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _))
        {
            throw hub.Bad("time_zone", timeZone, "an IANA time zone name such as Europe/Amsterdam or UTC");
        }

        var info = new HubInfo(
            hub.String("name", "Home"),
            timeZone,
            hub.OneOf("unit_system", "metric", "metric", "us_customary"),
            typeof(ConfigLoader).Assembly.GetName().Version?.ToString(3) ?? "0.1.0",
            hub.Double("latitude", 0, -90, 90),
            hub.Double("longitude", 0, -180, 180),
            hub.Int("elevation", 0, -500, 9000),
            hub.String("currency", "EUR"),
            hub.String("country", ""),
            hub.String("language", "en"));
        hub.RefuseUnknownKeys();

        var http = new ConfigReader(configuration, "http", source);
        var httpOptions = new HttpOptions
        {
            ServerHost = http.String("server_host", devMode ? "127.0.0.1" : "0.0.0.0"),
            ServerPort = http.Int("server_port", 8123, 0, 65535),
            TrustedProxies = http.Networks("trusted_proxies") ?? [],
            IpBanEnabled = http.Bool("ip_ban_enabled", true),
            LoginAttemptsThreshold = http.Int("login_attempts_threshold", 5, 1, 1000),
            BanAllowlist = http.Networks("ban_allowlist") ?? new HttpOptions().BanAllowlist,
            MaxBodyBytes = http.Int("max_body_bytes", 1024 * 1024, 1024, 64 * 1024 * 1024),
            CorsAllowedOrigins = [.. (http.Strings("cors_allowed_origins") ?? []).Select(o => http.ParseAllowedOrigin(o))],
            AllowedHosts = [.. (http.Strings("allowed_hosts") ?? []).Select(h => http.ParseAllowedHost(h))],
        };
        if (!System.Net.IPAddress.TryParse(httpOptions.ServerHost, out _) && httpOptions.ServerHost != "localhost")
        {
            throw http.Bad("server_host", httpOptions.ServerHost, "an IP address such as 0.0.0.0 (all IPv4), :: (all), or 127.0.0.1 (this machine only)");
        }

        http.RefuseUnknownKeys();

        var storage = new ConfigReader(configuration, "storage", source);
        var storageOptions = new StorageOptions
        {
            DataDir = Path.GetFullPath(storage.String("data_dir", devMode ? ".pihub" : "/var/lib/pihub")),
            SnapshotsKeep = storage.Int("snapshots_keep", 10, 1, 1000),
        };
        storage.RefuseUnknownKeys();

        var power = PowerConfig.ReadPower(configuration, source, devMode);
        var inputBooleans = ReadInputBooleans(configuration, source);
        var (trustedNetworks, allowLanClientPages) = ReadAuth(configuration, source);
        return new PiHubOptions
        {
            Power = power,
            Gpio = PowerConfig.ReadGpio(configuration, source, power),
            Source = source,
            DevMode = devMode,
            Hub = info,
            Http = httpOptions,
            Storage = storageOptions,
            Admin = AdminConfig.Read(configuration, source, devMode, storageOptions.DataDir),
            InputBooleans = inputBooleans,
            Registries = RegistryConfigReader.Read(configuration, source, inputBooleans),
            TrustedNetworks = trustedNetworks,
            AllowLanClientPages = allowLanClientPages,
            Recorder = RecorderConfig.Read(configuration, source),
        };
    }

    private static List<InputBooleanOptions> ReadInputBooleans(IConfiguration configuration, string source)
    {
        var result = new List<InputBooleanOptions>();
        foreach (var item in configuration.GetSection("input_boolean").GetChildren())
        {
            // Keys from environment variables arrive upper-cased; ids are lower-case by rule.
            var id = item.Key.ToLowerInvariant();
            if (!EntityId.IsValidSlug(id))
            {
                throw new ConfigException($"Invalid input_boolean id \"{item.Key}\" in {source}. Use lowercase letters, digits and single underscores, e.g. porch_light.");
            }

            var reader = new ConfigReader(configuration, $"input_boolean:{item.Key}", source);
            var initial = reader.RawOrNull("initial") is null ? (bool?)null : reader.Bool("initial", false);
            result.Add(new InputBooleanOptions(id, reader.String("name", id.Replace('_', ' ')), initial, reader.RawOrNull("icon"), reader.RawOrNull("area"), reader.Strings("labels")));
            reader.RefuseUnknownKeys();
        }

        return result;
    }

    /// <summary>
    /// The <c>auth:</c> section: <c>allow_lan_client_pages</c> (true or false), and <c>trusted_networks</c>, a list of
    /// <c>{cidr, users: [usernames] | all, allow_bypass_login, skip_mfa, allow_api_without_token}</c>.
    /// </summary>
    private static (List<TrustedNetworkOptions> Networks, bool AllowLanClientPages) ReadAuth(IConfiguration configuration, string source)
    {
        var auth = new ConfigReader(configuration, "auth", source);
        var allowLanClientPages = auth.Bool("allow_lan_client_pages", false);
        var list = configuration.GetSection("auth:trusted_networks");
        auth.RawOrNull("trusted_networks");
        if (!string.IsNullOrWhiteSpace(list.Value))
        {
            throw auth.Bad("trusted_networks", list.Value, "a list of entries such as `- cidr: 192.168.1.0/24` with `users: [alice]` (see the commented example in /etc/pihub/pihub.yaml)");
        }

        auth.RefuseUnknownKeys();
        var result = new List<TrustedNetworkOptions>();
        foreach (var item in list.GetChildren())
        {
            var reader = new ConfigReader(configuration, $"auth:trusted_networks:{item.Key}", source);
            var cidr = reader.Network("cidr")
                ?? throw new ConfigException($"{reader.Key("cidr")} is missing in {source}. Give the network, e.g. cidr: 192.168.1.0/24, and start PiHub again.");
            var users = reader.Strings("users")
                ?? throw new ConfigException($"{reader.Key("users")} is missing in {source}. List the usernames this network may log in as (users: [alice]), or write users: all, and start PiHub again.");
            IReadOnlyList<string>? names = users is [var only] && string.Equals(only, "all", StringComparison.OrdinalIgnoreCase)
                ? null
                : [.. users.Select(u => CredentialRules.NormalizeUsername(u))];
            if (names is not null && names.Any(n => n.Length == 0 || string.Equals(n, "all", StringComparison.Ordinal)))
            {
                throw reader.Bad("users", string.Join(", ", users), "a list of usernames such as [alice, bob], or the single word all (not inside a list)");
            }

            var options = new TrustedNetworkOptions
            {
                Cidr = cidr,
                Users = names,
                AllowBypassLogin = reader.Bool("allow_bypass_login", false),
                SkipMfa = reader.Bool("skip_mfa", false),
                AllowApiWithoutToken = reader.Bool("allow_api_without_token", false),
            };
            reader.RefuseUnknownKeys();
            if (options.AllowApiWithoutToken && options.Users is not { Count: 1 })
            {
                throw new ConfigException(
                    $"{reader.Key("allow_api_without_token")} is true but {reader.Key("users")} is {(options.Users is null ? "all" : $"[{string.Join(", ", options.Users)}]")} in {source}. " +
                    "Token-less requests must act as exactly one named user: list exactly one username in users (a non-admin one is safest), or set allow_api_without_token: false.");
            }

            if (result.Any(r => r.Cidr.Equals(cidr)))
            {
                throw new ConfigException($"The network {cidr} appears twice in auth.trusted_networks in {source}. Merge the two entries into one and start PiHub again.");
            }

            result.Add(options);
        }

        return (result, allowLanClientPages);
    }
}
