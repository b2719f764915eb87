using PiHub.Configuration;

namespace PiHub.Server.Tests.Configuration;

public class ConfigLoaderTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("pihub-config-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string Write(string yaml)
    {
        var path = Path.Combine(_dir, "pihub.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static PiHubOptions Load(params string[] args) => ConfigLoader.Load(args, defaultPath: "/nonexistent/pihub.yaml").Options;

    [Test]
    public void Load_NoFile_DevDefaultsOnLoopback()
    {
        var options = Load();

        Assert.That(options.DevMode, Is.True);
        Assert.That(options.Http.ServerHost, Is.EqualTo("127.0.0.1"));
        Assert.That(options.Http.ServerPort, Is.EqualTo(8123));
        Assert.That(options.Storage.DataDir, Is.EqualTo(Path.GetFullPath(".pihub")));
    }

    [Test]
    public void Load_ShippedDefaultConfig_IsValid()
    {
        var shipped = Path.Combine(TestContext.CurrentContext.TestDirectory, "pihub.yaml");

        var options = Load("--config", shipped);

        Assert.That(options.DevMode, Is.False);
        Assert.That(options.Storage.DataDir, Is.EqualTo("/var/lib/pihub"));
        Assert.That(options.Http.ServerHost, Is.EqualTo("0.0.0.0"));
    }

    [Test]
    public void Load_FullFile_ReadsEverySection()
    {
        var path = Write("""
            hub:
              name: Cabin
              time_zone: Europe/Amsterdam
              unit_system: us_customary
            http:
              server_port: 8200
              trusted_proxies: [10.0.0.2, 172.16.0.0/12]
              ip_ban_enabled: false
            storage:
              data_dir: /tmp/pihub-x
            input_boolean:
              porch_light:
                name: Porch light
                initial: true
            """);

        var options = Load("--config", path);

        Assert.That(options.Hub.LocationName, Is.EqualTo("Cabin"));
        Assert.That(options.Hub.UnitSystem, Is.EqualTo("us_customary"));
        Assert.That(options.Http.ServerPort, Is.EqualTo(8200));
        Assert.That(options.Http.TrustedProxies.Select(n => n.ToString()), Is.EqualTo(new[] { "10.0.0.2/32", "172.16.0.0/12" }));
        Assert.That(options.Http.IpBanEnabled, Is.False);
        Assert.That(options.InputBooleans.Single().Initial, Is.True);
    }

    [TestCase("http:\n  server_port: 99999\n", "http.server_port", "99999", "0 to 65535")]
    [TestCase("hub:\n  unit_system: imperial\n", "hub.unit_system", "imperial", "metric, us_customary")]
    [TestCase("hub:\n  time_zone: Mars/Olympus\n", "hub.time_zone", "Mars/Olympus", "IANA")]
    [TestCase("http:\n  trusted_proxies: [10.0.0.1/8]\n", "http.trusted_proxies", "10.0.0.1/8", "host bits")]
    [TestCase("http:\n  ip_ban_enabled: maybe\n", "http.ip_ban_enabled", "maybe", "true or false")]
    public void Load_BadValue_NamesKeyValueAndAccepted(string yaml, string key, string value, string accepted)
    {
        var path = Write(yaml);

        var ex = Assert.Throws<ConfigException>(() => Load("--config", path));

        Assert.That(ex!.Message, Does.Contain(key).And.Contain(value).And.Contain(accepted));
    }

    [Test]
    public void Load_UnknownKey_ListsAcceptedKeys()
    {
        var path = Write("http:\n  sever_port: 8123\n");

        var ex = Assert.Throws<ConfigException>(() => Load("--config", path));

        Assert.That(ex!.Message, Does.Contain("http.sever_port").And.Contain("server_port"));
    }

    [Test]
    public void Load_UnknownSection_ListsSections()
    {
        var path = Write("htp:\n  server_port: 8123\n");

        var ex = Assert.Throws<ConfigException>(() => Load("--config", path));

        Assert.That(ex!.Message, Does.Contain("\"htp\"").And.Contain("http"));
    }

    [Test]
    public void Load_BrokenYaml_SaysNotValidYaml()
    {
        var path = Write("http:\n  server_port: [8123\n");

        var ex = Assert.Throws<ConfigException>(() => Load("--config", path));

        Assert.That(ex!.Message, Does.Contain("not valid YAML"));
    }

    [Test]
    public void Load_MissingExplicitFile_SaysSo()
    {
        var ex = Assert.Throws<ConfigException>(() => Load("--config", Path.Combine(_dir, "missing.yaml")));

        Assert.That(ex!.Message, Does.Contain("does not exist"));
    }

    [Test]
    public void Load_EnvironmentVariable_OverridesFile()
    {
        var path = Write("http:\n  server_port: 8200\n");
        Environment.SetEnvironmentVariable("PIHUB__HTTP__SERVER_PORT", "8300");
        try
        {
            Assert.That(Load("--config", path).Http.ServerPort, Is.EqualTo(8300));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PIHUB__HTTP__SERVER_PORT", null);
        }
    }

    [Test]
    public void Load_BadInputBooleanId_SaysHowToName()
    {
        var path = Write("input_boolean:\n  Porch-Light:\n    name: x\n");

        var ex = Assert.Throws<ConfigException>(() => Load("--config", path));

        Assert.That(ex!.Message, Does.Contain("Porch-Light").And.Contain("porch_light"));
    }
}
