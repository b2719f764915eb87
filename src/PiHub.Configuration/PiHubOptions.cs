using System.Net;
using PiHub.Core.Hub;
using PiHub.Core.Hub.Domains;

namespace PiHub.Configuration;

/// <summary>Everything <c>pihub.yaml</c> (and <c>PIHUB__SECTION__KEY</c> variables) can set, validated.</summary>
public sealed record PiHubOptions
{
    /// <summary>Where the config came from: a file path, or "embedded defaults (dev mode)".</summary>
    public required string Source { get; init; }

    /// <summary>True when running on embedded defaults: data in ./.pihub, loopback only, simulated hardware.</summary>
    public bool DevMode { get; init; }

    public required HubInfo Hub { get; init; }

    public required HttpOptions Http { get; init; }

    public required StorageOptions Storage { get; init; }

    public IReadOnlyList<InputBooleanOptions> InputBooleans { get; init; } = [];

    /// <summary>The <c>areas</c>, <c>floors</c> and <c>labels</c> lists.</summary>
    public RegistryOptions Registries { get; init; } = RegistryOptions.Empty;

    /// <summary>The <c>auth.trusted_networks</c> list, in file order; empty when none are configured.</summary>
    public IReadOnlyList<TrustedNetworkOptions> TrustedNetworks { get; init; } = [];

    /// <summary>
    /// <c>auth.allow_lan_client_pages</c>: whether the hub may read an OAuth client's page (its <c>client_id</c> URL, for
    /// the redirect URIs it declares) on a private LAN address. Off by default: apps' client ids are public https
    /// pages, and a page read on the LAN would let anyone probe the LAN from the hub. Loopback, link-local and
    /// unspecified addresses are never read.
    /// </summary>
    public bool AllowLanClientPages { get; init; }

    /// <summary>The <c>power:</c> section: power-fail pin, supply monitor, shutdown and recovery.</summary>
    public Core.Power.PowerOptions Power { get; init; } = new();

    /// <summary>The <c>gpio:</c> section: switches and binary sensors on the header's pins.</summary>
    public Core.Hub.Gpio.GpioOptions Gpio { get; init; } = new();
    /// <summary>The <c>admin:</c> section: the admin socket <c>pihub-cli</c> talks to.</summary>
    public AdminOptions Admin { get; init; } = new() { Socket = AdminConfig.SystemSocket };

    /// <summary>The <c>recorder:</c> section (history and logbook).</summary>
    public Core.Recorder.RecorderOptions Recorder { get; init; } = new();
}

/// <summary>The <c>http:</c> section.</summary>
public sealed record HttpOptions
{
    public string ServerHost { get; init; } = "0.0.0.0";

    public int ServerPort { get; init; } = 8123;

    /// <summary>Peers whose <c>X-Forwarded-For</c> is believed.</summary>
    public IReadOnlyList<IPNetwork> TrustedProxies { get; init; } = [];

    public bool IpBanEnabled { get; init; } = true;

    public int LoginAttemptsThreshold { get; init; } = 5;

    /// <summary>Addresses that are never banned.</summary>
    public IReadOnlyList<IPNetwork> BanAllowlist { get; init; } = [IPNetwork.Parse("127.0.0.1/32"), IPNetwork.Parse("::1/128")];

    /// <summary>Largest request body accepted, in bytes.</summary>
    public int MaxBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// Web pages on other sites allowed to call the API from a browser (<c>scheme://host[:port]</c>, lower case);
    /// every other foreign <c>Origin</c> is refused before it can change anything or count towards a ban.
    /// </summary>
    public IReadOnlyList<string> CorsAllowedOrigins { get; init; } = [];

    /// <summary>
    /// Host names, beyond the built-in private ones, under which the hub accepts logins and changes from browsers
    /// (<c>name</c> or <c>*.suffix</c>, lower case): the defence against DNS rebinding.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];
}

/// <summary>The <c>storage:</c> section.</summary>
public sealed record StorageOptions
{
    public required string DataDir { get; init; }

    /// <summary>How many recent auth-store snapshots to keep (plus one a day for a week).</summary>
    public int SnapshotsKeep { get; init; } = 10;
}
