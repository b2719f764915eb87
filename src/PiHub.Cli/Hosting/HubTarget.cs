using PiHub.Configuration;

namespace PiHub.Cli.Hosting;

/// <summary>
/// Which hub pihub-cli administers, found exactly as the service finds its settings: <c>--config</c>, else
/// <c>/etc/pihub/pihub.yaml</c> when it exists, else dev mode (data and socket in <c>./.pihub</c> of the
/// current folder, where <c>dotnet run --project src/PiHub.Server</c> keeps them), plus <c>PIHUB__</c> variables.
/// </summary>
internal sealed record HubTarget(PiHubOptions Options)
{
    public string DataDir => Options.Storage.DataDir;

    public string Socket => Options.Admin.Socket;

    public string ConfigSource => Options.Source;

    public bool DevMode => Options.DevMode;

    /// <summary>Loads the configuration; throws <see cref="ConfigException"/> with the service's own message.</summary>
    public static HubTarget Load(string? configPath) =>
        new(ConfigLoader.Load(configPath is null ? [] : ["--config", configPath]).Options);
}
