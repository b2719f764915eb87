namespace PiHub.Cli.Hosting;

/// <summary>pihub-cli's version: the same number as the service built from the same tree.</summary>
internal static class CliVersion
{
    public static string Text { get; } = typeof(CliVersion).Assembly.GetName().Version?.ToString(3) ?? "0.1.0";
}
