namespace PiHub.Testing;

/// <summary>
/// What some tests need beyond the .NET SDK — the published binaries, Node.js and the npm packages in
/// <see cref="RepoPaths.NodeDir"/>, qemu with the arm64 libraries, curl, Chromium — and what happens when
/// one is missing. Under plain <c>dotnet test</c> the test is ignored with a message naming
/// <c>scripts/test.sh</c>, which provides all of them; under <c>scripts/test.sh</c>
/// (<see cref="RequireAllVariable"/>=1) a missing prerequisite fails the test instead, so nothing is
/// skipped there silently.
/// </summary>
public static class Prerequisites
{
    /// <summary>Set to <c>1</c> by <c>scripts/test.sh</c>: a missing prerequisite is a failure, not an ignore.</summary>
    public const string RequireAllVariable = "PIHUB_REQUIRE_ALL";

    /// <summary>True when a missing prerequisite must fail the test (<c>scripts/test.sh</c>).</summary>
    public static bool RequireAll => Environment.GetEnvironmentVariable(RequireAllVariable) == "1";

    /// <summary>
    /// Ignores the current test (fails it under <see cref="RequireAllVariable"/>=1) unless
    /// <paramref name="present"/>; <paramref name="missing"/> says what is missing and how to provide it.
    /// </summary>
    public static void Require(bool present, string missing)
    {
        if (present) return;
        if (RequireAll)
        {
            Assert.Fail($"{missing} ({RequireAllVariable}=1: scripts/test.sh should have provided it; see its output above.)");
        }

        Assert.Ignore($"{missing} Run scripts/test.sh to run this test (plain dotnet test ignores it).");
    }

    /// <summary>The Node.js binary (<c>PIHUB_NODE</c>, else <c>node</c> on PATH) and the npm packages the Node tests import.</summary>
    public static string Node()
    {
        var node = Environment.GetEnvironmentVariable("PIHUB_NODE") ?? OnPath("node");
        Require(node is not null && File.Exists(node), "Node.js is not installed (no node on PATH): apt-get install nodejs npm.");
        foreach (var package in new[] { "home-assistant-js-websocket", "ws" })
        {
            var path = Path.Combine(RepoPaths.NodeDir, "node_modules", package);
            Require(Directory.Exists(path), $"{path} is missing: the Node tests' npm packages are not installed (npm ci in {RepoPaths.NodeDir}).");
        }

        return node!;
    }

    /// <summary>A command-line tool the test runs, found on PATH.</summary>
    public static string Tool(string name, string package)
    {
        var path = OnPath(name);
        Require(path is not null, $"{name} is not installed: apt-get install {package}.");
        return path!;
    }

    /// <summary>Debian's Chromium (<c>PIHUB_CHROMIUM</c>, else <c>chromium</c> on PATH), for dashboard tests.</summary>
    public static string Chromium()
    {
        var path = Environment.GetEnvironmentVariable("PIHUB_CHROMIUM") ?? OnPath("chromium");
        Require(path is not null && File.Exists(path), "Chromium is not installed: apt-get install chromium.");
        return path!;
    }

    /// <summary>
    /// Ignores the current test unless it runs on a Raspberry Pi (the device tree's model says so): the
    /// <c>[Category("Hardware")]</c> tests read the Pi's own GPIO chip and supply monitor, which a PC does not have.
    /// </summary>
    public static void RaspberryPi()
    {
        const string modelFile = "/sys/firmware/devicetree/base/model";
        var model = File.Exists(modelFile) ? File.ReadAllText(modelFile).TrimEnd('\0', '\n') : null;
        if (model?.StartsWith("Raspberry Pi", StringComparison.Ordinal) == true) return;
        // Not Require: these tests are left out of scripts/test.sh by its filter, so "run scripts/test.sh" would not help.
        Assert.Ignore($"Not a Raspberry Pi ({modelFile} {(model is null ? "does not exist" : $"says \"{model}\"")}): the hardware tests run only on a Pi (see scripts/README.md).");
    }

    /// <summary>The full path of <paramref name="name"/> in a PATH folder; null when there is none.</summary>
    public static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
