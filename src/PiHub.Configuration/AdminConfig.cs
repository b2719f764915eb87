using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace PiHub.Configuration;

/// <summary>The <c>admin:</c> section: where <c>pihub-cli</c> reaches the running service, and who may.</summary>
public sealed record AdminOptions
{
    /// <summary>The admin Unix socket (<c>admin.socket</c>).</summary>
    public required string Socket { get; init; }

    /// <summary>A group whose members may use the socket besides root (<c>admin.group</c>); null: root only.</summary>
    public string? Group { get; init; }
}

/// <summary>Reads and checks the <c>admin:</c> section.</summary>
internal static partial class AdminConfig
{
    /// <summary>The socket on the Pi: in the service's <c>RuntimeDirectory</c>.</summary>
    public const string SystemSocket = "/run/pihub/admin.sock";

    /// <summary>The socket's file name in dev mode, in the data folder (<c>./.pihub/admin.sock</c>).</summary>
    public const string DevSocketName = "admin.sock";

    // sun_path is 108 bytes including the terminating NUL.
    private const int MaxSocketPathBytes = 107;

    public static AdminOptions Read(IConfiguration configuration, string source, bool devMode, string dataDir)
    {
        var admin = new ConfigReader(configuration, "admin", source);
        var socket = Path.GetFullPath(admin.String("socket", devMode ? Path.Combine(dataDir, DevSocketName) : SystemSocket));
        if (Encoding.UTF8.GetByteCount(socket) > MaxSocketPathBytes)
        {
            throw admin.Bad("socket", socket, $"a path of at most {MaxSocketPathBytes} bytes (a Unix socket's limit), e.g. {SystemSocket}");
        }

        var group = admin.RawOrNull("group");
        if (group is not null && !GroupName().IsMatch(group))
        {
            throw admin.Bad("group", group, "a Unix group name such as pihub-admin (lowercase letters, digits, - and _), or leave it out for root only");
        }

        admin.RefuseUnknownKeys();
        return new AdminOptions { Socket = socket, Group = group };
    }

    [GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}$")]
    private static partial Regex GroupName();
}
